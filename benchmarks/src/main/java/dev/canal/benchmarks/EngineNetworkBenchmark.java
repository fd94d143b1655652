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
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the engine adds to a container on a user network, measured per container: {@link
 * dev.canal.engine.net.Networks#prepare} (an address claimed by an O_EXCL file, the endpoint's
 * JSON, /etc/hostname, /etc/hosts and /etc/resolv.conf) and {@link
 * dev.canal.engine.net.Networks#connect} (the runtime's attach, which {@link
 * NetworkAttachBenchmark} measures alone, and the embedded DNS server's start). The difference
 * between the two benchmarks is the engine's own part. {@link EngineNetworkReleaseBenchmark}
 * measures the other end, when the container has exited.
 *
 * <p>As there, everything happens in a network namespace of the benchmark's own, and the
 * containers' namespaces are made inside it. Run as root: {@code java -jar
 * benchmarks/target/benchmarks.jar EngineNetwork}
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class EngineNetworkBenchmark {

    private NetworkedContainers containers;
    private NetworkedContainers.Container container;

    @Setup(Level.Trial)
    public void network() throws IOException {
        containers = new NetworkedContainers();
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
