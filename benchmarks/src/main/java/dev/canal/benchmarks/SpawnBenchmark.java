package dev.canal.benchmarks;

import dev.canal.runtime.ns.IdMappings;
import dev.canal.runtime.ns.NamespaceType;
import dev.canal.runtime.rootfs.RootfsPlan;
import dev.canal.runtime.spawn.CloneEngine;
import dev.canal.runtime.spawn.ExecFifo;
import dev.canal.runtime.spawn.NamespacePlan;
import dev.canal.runtime.spawn.Privileges;
import dev.canal.runtime.spawn.ProcessPlan;
import dev.canal.runtime.spawn.SpawnEngine;
import dev.canal.runtime.spawn.SpawnedProcess;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.spawn.ThreadEngine;
import dev.canal.runtime.spawn.clone.CloneSpawner;
import dev.canal.runtime.sys.Processes;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The spawn engines alone, without a container around them: {@code /bin/true} created held in
 * new pid, mount, uts and ipc namespaces (optionally also network, or user for the clone
 * engine), released from its exec FIFO, and timed until it has exec'd ({@code until=EXEC}) or
 * until it has also exited and been reaped ({@code until=REAPED}). No rootfs is set up: the
 * process runs the host's {@code /bin/true}, so this is the engines' cost and the kernel's,
 * nothing of the rootfs builder's.
 *
 * <p>The baseline in the same run is the JDK's {@code ProcessBuilder} starting {@code /bin/true}
 * with no namespaces and the same inherited standard streams: {@code start()} returns once
 * the program has exec'd (the JDK waits for its helper's report), {@code waitFor()} once it is
 * reaped.
 *
 * <p>Run as root: {@code java -jar benchmarks/target/benchmarks.jar Spawn}
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
public class SpawnBenchmark {

    /** Where the timing of one spawn stops. */
    public enum Until {
        EXEC,
        REAPED
    }

    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);
    private static final List<NamespaceType> CONTAINER =
            List.of(NamespaceType.PID, NamespaceType.MOUNT, NamespaceType.UTS, NamespaceType.IPC);
    /** Root of the user namespace is host uid and gid 100000, as rootless-style mappings do. */
    private static final List<IdMappings.Range> MAPPED = List.of(new IdMappings.Range(0, 100_000, 65_536));

    private static final ProcessPlan TRUE = new ProcessPlan(
            "/bin/true",
            List.of("true"),
            List.of("PATH=/bin:/usr/bin"),
            "/",
            0,
            0,
            new int[0],
            -1,
            new Privileges(null, false, null),
            Stdio.inherit(),
            null);
    /** Read only by the clone engine where it mounts /proc itself (kernels before 6.18); no mounts here. */
    private static final RootfsPlan NO_ROOTFS =
            new RootfsPlan("/", false, null, List.of(), List.of(), List.of(), List.of(), null, null);

    private static final NamespacePlan NEW = plan(CONTAINER);
    private static final NamespacePlan NEW_WITH_NETWORK = plan(with(NamespaceType.NETWORK));
    private static final NamespacePlan NEW_WITH_USER =
            new NamespacePlan(with(NamespaceType.USER), Map.of(), Map.of(), MAPPED, MAPPED);

    private static final SpawnEngine THREAD = new ThreadEngine();
    private static final SpawnEngine CLONE = new CloneEngine();

    @Param({"REAPED", "EXEC"})
    public Until until;

    private final List<Integer> unreapedPids = new ArrayList<>();
    private final List<Process> unreapedProcesses = new ArrayList<>();

    /** The clone engine compiles its child path with C2 once per JVM (about a second): done before the timing. */
    @State(Scope.Benchmark)
    public static class ClonePathCompiled {
        @Setup(Level.Trial)
        public void warmUp() {
            CloneSpawner.warmUp();
        }
    }

    @Benchmark
    public int threadEngine() {
        return spawn(THREAD, NEW);
    }

    @Benchmark
    public int threadEngineNewNetwork() {
        return spawn(THREAD, NEW_WITH_NETWORK);
    }

    @Benchmark
    public int cloneEngine(ClonePathCompiled compiled) {
        return spawn(CLONE, NEW);
    }

    @Benchmark
    public int cloneEngineNewNetwork(ClonePathCompiled compiled) {
        return spawn(CLONE, NEW_WITH_NETWORK);
    }

    @Benchmark
    public int cloneEngineNewUser(ClonePathCompiled compiled) {
        return spawn(CLONE, NEW_WITH_USER);
    }

    @Benchmark
    public int processBuilderBaseline() throws IOException, InterruptedException {
        Process process = new ProcessBuilder("/bin/true").inheritIO().start();
        if (until == Until.REAPED) {
            return process.waitFor();
        }
        unreapedProcesses.add(process);
        return 0;
    }

    /**
     * Create held (with the exec FIFO's tmpfs of its own, as every container gets), release, wait
     * for the exec, and (until=REAPED) for the exit.
     */
    private int spawn(SpawnEngine engine, NamespacePlan namespaces) {
        SpawnedProcess process;
        try (ExecFifo fifo = ExecFifo.create(false)) {
            process = engine.spawn(namespaces, TRUE, NO_ROOTFS, fifo, pid -> {});
        }
        int pid = process.pid();
        if (!ExecFifo.release(
                pid, ExecFifo.NAME, EXEC_TIMEOUT, () -> Processes.pollExit(pid) != Processes.STILL_RUNNING)) {
            throw new IllegalStateException("process " + pid + " never reached its exec FIFO");
        }
        process.exec().await(EXEC_TIMEOUT);
        if (until == Until.REAPED) {
            return Processes.waitForExit(process.pid());
        }
        unreapedPids.add(process.pid());
        return process.pid();
    }

    /** With until=EXEC the processes are reaped outside the timing. */
    @TearDown(Level.Invocation)
    public void reap() throws InterruptedException {
        for (int pid : unreapedPids) {
            Processes.waitForExit(pid);
        }
        unreapedPids.clear();
        for (Process process : unreapedProcesses) {
            process.waitFor();
        }
        unreapedProcesses.clear();
    }

    private static NamespacePlan plan(List<NamespaceType> create) {
        return new NamespacePlan(create, Map.of(), Map.of(), List.of(), List.of());
    }

    private static List<NamespaceType> with(NamespaceType extra) {
        List<NamespaceType> types = new ArrayList<>(CONTAINER);
        types.add(extra);
        return List.copyOf(types);
    }
}
