package dev.canal.benchmarks;

import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.Containers;
import dev.canal.runtime.container.CreateOptions;
import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.testing.TestBundle;
import java.io.IOException;
import java.nio.file.Path;
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
 * A container's whole life, in-process: create (first process held), start, wait until it is
 * reaped, delete, for {@code /bin/true} from a busybox rootfs in new pid, mount, uts and ipc
 * namespaces with no mounts, for each engine; and, as the baseline in the same run, starting
 * and reaping {@code /bin/true} with the JDK's ProcessBuilder, no namespaces at all.
 *
 * <p>Run as root: {@code java -jar benchmarks/target/benchmarks.jar ContainerStart}
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
public class ContainerStartBenchmark {

    @Param({"THREAD", "CLONE"})
    public EngineChoice engine;

    private WorkDirectory work;
    private Path bundle;
    private Containers containers;
    private long next;

    @Setup(Level.Trial)
    public void bundle() throws Exception {
        work = new WorkDirectory("canal-bench");
        bundle = TestBundle.create(work.resolve("bundle"))
                .args("/bin/true")
                .withoutNamespaces("network")
                .edit(config -> config.putArray("mounts"))
                .edit(config -> ((tools.jackson.databind.node.ObjectNode) config.get("linux")).putArray("maskedPaths"))
                .edit(config ->
                        ((tools.jackson.databind.node.ObjectNode) config.get("linux")).putArray("readonlyPaths"))
                .write();
        containers = new Containers(work.resolve("state"));
    }

    @Benchmark
    public int containerCreateStartWaitDelete() {
        Container container = containers.create("bench-" + next++, bundle, new CreateOptions(engine, Stdio.inherit()));
        container.start();
        int status = container.waitForExit();
        container.delete(false);
        return status;
    }

    @Benchmark
    public int processBuilderBaseline() throws IOException, InterruptedException {
        return new ProcessBuilder("/bin/true").start().waitFor();
    }

    @TearDown(Level.Trial)
    public void removeWork() {
        work.close();
    }
}
