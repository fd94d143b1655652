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
 * The other end of {@link EngineNetworkBenchmark}: {@link dev.canal.engine.net.Networks#release}
 * once a container on a bridge network has exited (its namespace closed just before, as its last
 * process's exit closes it), which `docker run --rm` waits for. It stops the embedded DNS
 * server, removes the port rules, and hands the veth pair to the engine's reaper, which deletes
 * it in the background (netns cleanup is asynchronous, so the kernel usually has not yet) and
 * then frees the address; each invocation's tear-down waits for that, unmeasured. Run as root:
 * {@code java -jar benchmarks/target/benchmarks.jar EngineNetworkRelease}
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class EngineNetworkReleaseBenchmark {

    /** Each container's {@code --network}, as in {@link EngineNetworkBenchmark#network}. */
    @Param({NetworkedContainers.NONE, NetworkedContainers.BRIDGE, NetworkedContainers.USER})
    public String network;

    private NetworkedContainers containers;
    private NetworkedContainers.Container container;

    @Setup(Level.Trial)
    public void networks() throws IOException {
        containers = new NetworkedContainers(network);
    }

    /** A container prepared and connected, then its namespace closed: it has exited. */
    @Setup(Level.Invocation)
    public void exitedContainer() throws IOException {
        container = containers.next();
        containers.networks.prepare(container.record(), container.directory());
        containers.networks.connect(container.record().id(), container.namespace());
        container.namespace().close();
    }

    @Benchmark
    public void release() {
        containers.networks.release(container.record().id());
    }

    /** Closing the namespace again does nothing; the directory goes. */
    @TearDown(Level.Invocation)
    public void discard() {
        containers.discard(container);
    }

    @TearDown(Level.Trial)
    public void removeNetwork() {
        containers.close();
    }
}
