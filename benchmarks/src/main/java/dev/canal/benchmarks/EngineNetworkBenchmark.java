package dev.canal.benchmarks;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the engine adds to a container on a bridge network, measured per container: {@link
 * dev.canal.engine.net.Networks#prepare} (an address claimed by an O_EXCL file, the endpoint's
 * JSON, /etc/hostname, /etc/hosts and /etc/resolv.conf) and {@link
 * dev.canal.engine.net.Networks#connect} (the runtime's attach, which {@link
 * NetworkAttachBenchmark} measures alone, and on a user network the embedded DNS server's
 * start). {@code network=none} is the baseline in the same run, the same calls for a container
 * on {@code --network none}, so what a bridge adds per container is the difference (its
 * network namespace, which {@code none} has too, is made outside the measurement). {@link
 * EngineNetworkReleaseBenchmark} measures the other end, when the container has exited.
 *
 * <p>As there, everything happens in a network namespace of the benchmark's own, and the
 * containers' namespaces are made inside it. Run as root: {@code java -jar
 * benchmarks/target/benchmarks.jar EngineNetwork} ({@code -p network=user} for one kind)
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class EngineNetworkBenchmark {

    /**
     * Each container's {@code --network}: {@code none} (the baseline: what the engine does for a
     * container without a bridge), {@code bridge} (the default network) or {@code user} (a user
     * network, with the embedded DNS server).
     */
    @Param({NetworkedContainers.NONE, NetworkedContainers.BRIDGE, NetworkedContainers.USER})
    public String network;

    private NetworkedContainers containers;
    private NetworkedContainers.Container container;

    @Setup(Level.Trial)
    public void networks() throws IOException {
        containers = new NetworkedContainers(network);
    }

    /** A new container namespace and record for each container, outside the measurement. */
    @Setup(Level.Invocation)
    public void container() throws IOException {
        container = containers.next();
    }

    @Benchmark
    public void prepareAndConnect() {
        containers.networks.prepare(container.record(), container.directory());
        containers.networks.connect(container.record().id(), container.namespace());
    }

    @TearDown(Level.Invocation)
    public void release() {
        containers.discard(container);
    }

    @TearDown(Level.Trial)
    public void removeNetwork() {
        containers.close();
    }
}
