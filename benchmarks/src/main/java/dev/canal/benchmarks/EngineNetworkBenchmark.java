package dev.canal.benchmarks;

import dev.canal.engine.ContainerRecord;
import dev.canal.engine.ContainerSpec;
import dev.canal.engine.net.BridgeDefaults;
import dev.canal.engine.net.NetworkCreate;
import dev.canal.engine.net.NetworkRequest;
import dev.canal.engine.net.Networks;
import dev.canal.images.ImageLibrary;
import dev.canal.images.store.FileTrees;
import dev.canal.runtime.net.NetworkNamespace;
import dev.canal.runtime.testing.ScratchNetworkNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * Networks#prepare} (an address claimed by an O_EXCL file, the endpoint's JSON, /etc/hostname,
 * /etc/hosts and /etc/resolv.conf) and {@link Networks#connect} (the runtime's attach, which
 * {@link NetworkAttachBenchmark} measures alone). The difference between the two benchmarks is
 * the engine's own bookkeeping.
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

    private Path dataRoot;
    private NetworkNamespace host;
    private Networks networks;
    private NetworkNamespace container;
    private ContainerRecord record;
    private Path directory;
    private int containers;

    @Setup(Level.Trial)
    public void network() throws IOException {
        dataRoot = Files.createTempDirectory("canal-bench-networks");
        host = ScratchNetworkNamespace.create();
        networks = Networks.in(dataRoot, ImageLibrary.open(dataRoot.resolve("images")), BridgeDefaults.NONE, host);
        networks.create(new NetworkCreate("bench", null, "10.211.0.0/16", null, null, false, Map.of()));
    }

    /** A new container namespace and record for each container, outside the measurement. */
    @Setup(Level.Invocation)
    public void container() throws IOException {
        container = ScratchNetworkNamespace.createInside(host);
        containers++;
        String id = String.format("%064x", containers);
        var settings = new ContainerSpec.HostSettings(
                null, false, null, null, "bench", false, null, null, false, null, null, null, NetworkRequest.NONE);
        var spec = new ContainerSpec(
                "bench",
                null,
                null,
                List.of(),
                null,
                null,
                id.substring(0, 12),
                false,
                false,
                false,
                Map.of(),
                null,
                null,
                settings);
        record = new ContainerRecord(
                id,
                "c" + containers,
                "bench",
                null,
                List.of(),
                "2026-12-07T00:00:00Z",
                null,
                null,
                spec,
                null,
                0,
                false,
                null,
                false);
        directory = Files.createDirectories(dataRoot.resolve("containers").resolve(id));
    }

    @Benchmark
    public void prepareAndConnect() {
        networks.prepare(record, directory);
        networks.connect(record.id(), container);
    }

    @TearDown(Level.Invocation)
    public void release() {
        networks.release(record.id());
        container.close();
        FileTrees.delete(directory);
    }

    @TearDown(Level.Trial)
    public void removeNetwork() {
        networks.remove("bench");
        networks.close();
        FileTrees.delete(dataRoot);
    }
}
