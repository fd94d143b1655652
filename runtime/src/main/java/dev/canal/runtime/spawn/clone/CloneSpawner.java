package dev.canal.runtime.spawn.clone;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Errno;
import dev.canal.runtime.sys.Pipe;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The clone engine: clone(2) from the JVM itself, a child that runs a {@link ChildProgram} of
 * raw system calls, and a parent that synchronises with it over two pipes and a watchdog.
 *
 * <p>It exists for what a thread of the JVM cannot do for itself: create a user namespace
 * (unshare(CLONE_NEWUSER) is refused in a multithreaded process) and, on kernels before 6.18,
 * give a new pid namespace its own /proc. How a spawn goes:
 * <ol>
 * <li>{@link #start}: pipes, then clone; the child closes its copy of the go pipe's write end
 *     and blocks reading the go pipe.</li>
 * <li>The parent prepares what must be ready before the child goes on: uid_map and gid_map of a
 *     user namespace, a cgroup ({@link BeforeProceed}). Then {@link CloneChild#proceed()}.</li>
 * <li>The child runs its steps up to the hold point (or execve); the watchdog times this part
 *     and SIGKILLs a child that does not get there, and the spawn is tried again.</li>
 * </ol>
 *
 * <p>JVM flags. The child path must be compiled by C2 with two JDK helpers inlined. C2 inlines
 * them on its own when their call sites are hot, which the warm-up makes them; these flags make
 * it certain, whatever the profile:
 * <pre>
 * -XX:CompileCommand=quiet
 * -XX:CompileCommand=inline,jdk.internal.foreign.abi.SharedUtils::checkNative
 * -XX:CompileCommand=inline,jdk.internal.foreign.AbstractMemorySegmentImpl::equals
 * -XX:CompileCommand=CompileThresholdScaling,dev.canal.runtime.spawn.clone.ChildPath::cloneAndRun,0.05
 * </pre>
 * The last is optional: it lets C2 compile the child path after a twentieth of the usual
 * invocations, so the warm-up is shorter.
 * ({@code quiet} stops HotSpot from printing each CompileCommand on standard output.) Check with
 * {@code -XX:+UnlockDiagnosticVMOptions
 * -XX:CompileCommand=PrintInlining,dev.canal.runtime.spawn.clone.ChildPath::cloneAndRun} that
 * the only calls left are {@code linkToNative}.
 */
public final class CloneSpawner {

    /** Attempts per spawn: the first and up to this many minus one retries. */
    public static final int MAX_ATTEMPTS = 5;

    /** What the parent does between the clone and {@link CloneChild#proceed()}. */
    @FunctionalInterface
    public interface BeforeProceed {
        /** Called with the new child, blocked reading its go pipe. */
        void prepare(CloneChild child) throws IOException;
    }

    /**
     * The namespaces a spawn may ask for. Anything else changes what clone(2) copies (CLONE_VM
     * would share this JVM's memory and stack, CLONE_VFORK would stop this thread in the middle
     * of a critical downcall), or needs pointers this engine does not pass.
     */
    private static final long NAMESPACE_FLAGS = (long) linux_h.CLONE_NEWNS()
            | linux_h.CLONE_NEWUTS()
            | linux_h.CLONE_NEWIPC()
            | linux_h.CLONE_NEWUSER()
            | linux_h.CLONE_NEWPID()
            | linux_h.CLONE_NEWNET()
            | linux_h.CLONE_NEWCGROUP();

    /**
     * Held from creating a spawn's pipes until the parent has closed the child's ends of them.
     * A process cloned in between by another thread would inherit those ends and keep the report
     * pipe open (no end of file, so no exec detection) for as long as it lives unexec'd: held
     * children live long.
     */
    private static final ReentrantLock FORK_LOCK = new ReentrantLock();

    private static final LongAdder RETRIES = new LongAdder();

    private CloneSpawner() {}

    /**
     * Runs the child path through dry runs until C2 has compiled it, once per JVM; thread-safe,
     * and every spawn calls it first. About a second on a 2-core VM; calling it at startup keeps
     * that out of the first spawn.
     *
     * @return how long the warm-up took (the first call's time on later calls)
     */
    public static Duration warmUp() {
        return WarmUp.ensure().took();
    }

    /** Watchdog retries in this JVM so far, over all spawns. */
    public static long retries() {
        return RETRIES.sum();
    }

    /**
     * Starts the watchdog's thread now. A thread that has joined another pid namespace cannot
     * create threads (clone(2) with CLONE_THREAD is EINVAL once pid_for_children differs from
     * the caller's own pid namespace), so a thread that will spawn from there calls this first.
     */
    public static void startWatchdogThread() {
        CloneChild.startWatchdogThread();
    }

    /** {@link #spawn(long, ChildProgram, Duration, BeforeProceed)} with nothing to prepare. */
    public static CloneChild spawn(long cloneFlags, ChildProgram program, Duration watchdog) {
        return spawn(cloneFlags, program, watchdog, child -> {});
    }

    /**
     * Clones a child into new namespaces ({@code CLONE_NEW*} flags), runs {@code beforeProceed},
     * lets the child go and waits until it reports its hold point or, for a program without one,
     * until it exec'd. A child that has not got there within {@code watchdog} is killed, reaped and
     * replaced by a new one ({@code beforeProceed} runs again, for the new pid), up to
     * {@value #MAX_ATTEMPTS} attempts.
     *
     * <p>Without a hold point, a child killed at the very moment it exec'd is indistinguishable
     * from a stuck one and is started again: a program whose exec must happen at most once
     * should hold.
     *
     * @return the held or exec'd child; the caller reaps it ({@link CloneChild#waitFor()})
     * @throws ChildStepException  a step failed (the child has been reaped)
     * @throws ChildStuckException no attempt got there in time
     * @throws dev.canal.runtime.sys.SyscallException clone itself failed
     */
    public static CloneChild spawn(
            long cloneFlags, ChildProgram program, Duration watchdog, BeforeProceed beforeProceed) {
        for (int attempt = 0; ; attempt++) {
            CloneChild child = start(cloneFlags, program);
            child.retries(attempt);
            try {
                beforeProceed.prepare(child);
                child.proceed();
                CloneChild.Report report = child.next(watchdog);
                boolean arrived = program.holds()
                        ? report.kind() == CloneChild.Kind.HELD
                        : report.kind() == CloneChild.Kind.EXECED;
                if (arrived) {
                    return child;
                }
                if (report.kind() != CloneChild.Kind.TIMED_OUT) {
                    throw child.failure(report, program.holds() ? "reach its hold point" : "exec", watchdog);
                }
                child.close();
                if (attempt == MAX_ATTEMPTS - 1) {
                    throw new ChildStuckException(
                            "clone child did not " + (program.holds() ? "reach its hold point" : "exec") + " within "
                                    + watchdog.toMillis() + " ms in " + MAX_ATTEMPTS + " attempts; each was killed");
                }
                RETRIES.increment();
                // The likeliest cause: the child path is no longer the compiled code the warm-up left.
                WarmUp.again();
            } catch (IOException e) {
                child.close();
                throw new UncheckedIOException("preparing clone child " + child.pid() + ": " + e.getMessage(), e);
            } catch (RuntimeException | Error e) {
                child.close();
                throw e;
            }
        }
    }

    /**
     * One clone, no watchdog: the child blocks reading its go pipe until
     * {@link CloneChild#proceed()}; then {@link CloneChild#awaitHeld} or
     * {@link CloneChild#awaitExec}. {@link #spawn} is this plus the retries.
     */
    public static CloneChild start(long cloneFlags, ChildProgram program) {
        if ((cloneFlags & ~NAMESPACE_FLAGS) != 0) {
            throw new IllegalArgumentException("clone flags 0x" + Long.toHexString(cloneFlags & ~NAMESPACE_FLAGS)
                    + " are not namespace flags (CLONE_NEWNS, NEWUTS, NEWIPC, NEWUSER, NEWPID, NEWNET, NEWCGROUP)");
        }
        WarmUp.ensure();
        Pipe go = null;
        Pipe report = null;
        FORK_LOCK.lock();
        try {
            go = Pipe.create();
            report = Pipe.create();
            long[] rows = program.rowsFor(
                    go.readEnd().fd(), go.writeEnd().fd(), report.writeEnd().fd());
            WarmUp.touch();
            // SIGCHLD as the exit signal: the child is reaped like any other, wait4 needs no __WALL.
            long pid = ChildPath.cloneAndRun(
                    linux_h.SYS_clone(),
                    cloneFlags | linux_h.SIGCHLD(),
                    linux_h.SYS_write(),
                    linux_h.SYS_exit_group(),
                    report.writeEnd().fd(),
                    program.tableAddress(),
                    program.recordsAddress(),
                    rows);
            if (pid < 0) {
                // The child path wrote [CLONE_MARK, errno], as a failed step would.
                report.writeEnd().close();
                int errno = CloneChild.readReport(report.readEnd()).errno();
                throw Errno.failure("clone", "flags 0x" + Long.toHexString(cloneFlags), errno);
            }
            var child = new CloneChild((int) pid, program, go.writeEnd(), report.readEnd());
            try {
                // The child's ends: only the child may hold them, or end of file never comes.
                go.readEnd().close();
                report.writeEnd().close();
            } catch (RuntimeException e) {
                child.close();
                throw e;
            }
            go = null;
            report = null;
            return child;
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("clone child path failed", t);
        } finally {
            FORK_LOCK.unlock();
            if (go != null) {
                go.close();
            }
            if (report != null) {
                report.close();
            }
        }
    }
}
