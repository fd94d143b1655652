package dev.canal.benchmarks;

import dev.canal.engine.ContainerRecord;
import dev.canal.engine.ContainerSpec;
import dev.canal.engine.Engine;
import dev.canal.images.ImageReference;
import dev.canal.images.archive.ImageArchives;
import dev.canal.runtime.testing.BusyboxRootfs;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
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
 * A Docker-level container's whole life through the {@link Engine} in a warm JVM, what
 * {@code docker run --rm busybox true} costs canald without the HTTP: create (name, record,
 * overlay mount), start (config.json, run lock, json-file log, stdio fifos, runtime create and
 * start), wait for the exit (output drained, end recorded, layers unmounted) and remove. The
 * image is a busybox rootfs imported at setup. {@link ContainerStartBenchmark} is the same life
 * at the runtime's level, without the engine's bookkeeping.
 *
 * <p>The engine mounts and unmounts on threads it starts from the calling one, which inherit its
 * mount namespace: so the benchmark thread enters a {@link PrivateMountNamespace} before it
 * opens the engine, and nothing reaches the host's mount table.
 *
 * <p>Run as root: {@code java -jar benchmarks/target/benchmarks.jar EngineLifecycle}
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "--enable-native-access=ALL-UNNAMED",
            "-XX:CompileCommand=quiet",
            "-XX:CompileCommand=inline,jdk.internal.foreign.abi.SharedUtils::checkNative",
            "-XX:CompileCommand=inline,jdk.internal.foreign.AbstractMemorySegmentImpl::equals"
        })
@State(Scope.Benchmark)
public class EngineLifecycleBenchmark {

    private static final String IMAGE = "busybox:bench";

    private WorkDirectory work;
    private Engine engine;
    private ContainerSpec spec;

    @Setup(Level.Trial)
    public void importImage() throws Exception {
        PrivateMountNamespace.enter();
        work = new WorkDirectory("canal-engine-bench");
        Path rootfs = BusyboxRootfs.create(work.resolve("rootfs"));
        Path tar = work.resolve("busybox.tar");
        Process archive = new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".")
                .inheritIO()
                .start();
        if (archive.waitFor() != 0) {
            throw new IllegalStateException("tar of the busybox rootfs failed");
        }
        engine = Engine.open(work.resolve("data"), work.resolve("exec"));
        ImageArchives.importRootfs(engine.images(), tar, ImageReference.parse(IMAGE));
        spec = new ContainerSpec(
                IMAGE, List.of("true"), null, null, null, null, null, false, false, false, Map.of(), null, null, null);
    }

    @Benchmark
    public int createStartWaitRemove() {
        PrivateMountNamespace.enter();
        ContainerRecord record = engine.create(spec, null);
        // Registered before the start, so that even an instant exit is seen.
        CompletableFuture<Integer> exit = engine.waitFor(record.id(), "next-exit");
        engine.start(record.id());
        int status = exit.join();
        engine.remove(record.id(), false, false);
        return status;
    }

    @TearDown(Level.Trial)
    public void removeWork() {
        engine.close();
        work.close();
    }
}
