package dev.canal.runtime.spawn.clone;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.Signals;
import dev.canal.runtime.sys.Syscall;
import dev.canal.runtime.sys.SyscallException;
import dev.canal.runtime.sys.SyscallNumbers;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A process {@link CloneSpawner} cloned, seen from the parent: its pid, the write end of its go
 * pipe and the read end of its report pipe.
 *
 * <p>The report pipe is how a child with no Java of its own talks: a record {@code [HELD, 0]}
 * when it reaches its hold point, {@code [slot, errno]} when a step fails, and end of file with
 * no record when execve(2) closed the pipe (it is close-on-exec). A child that died without a
 * word looks like one that exec'd; {@link #waitFor()} tells them apart.
 *
 * <p>The child is a child of this JVM, and only {@link #waitFor()} reaps it. Until then the pid
 * stays the child's, even after it exits (a zombie), which is what makes {@link #signal} and the
 * watchdog's SIGKILL safe: they never fire after the reap. One thread drives a child
 * ({@code proceed}, {@code await*}, {@code close}); {@code waitFor} and {@code signal} may be called
 * from any thread.
 */
public final class CloneChild implements AutoCloseable {

    /** What one read of the report pipe told the parent. */
    enum Kind {
        HELD,
        EXECED,
        STEP_FAILED,
        CLONE_FAILED,
        INCOMPLETE,
        TIMED_OUT
    }

    record Report(Kind kind, int slot, int errno) {}

    private static final int RECORD_BYTES = 8;
    /** siginfo_t is 128 bytes on Linux; waitid(2) fills it in. */
    private static final long SIGINFO_BYTES = 128;

    private final int pid;
    private final ChildProgram program;
    private final OwnedFd go;
    private final OwnedFd report;
    private final ReentrantLock lock = new ReentrantLock();
    private final ReentrantLock reaping = new ReentrantLock();
    private int retries;
    private boolean proceeded;
    private volatile boolean held;
    private volatile boolean execed;
    // Guarded by lock: the watchdog's current arming, and whether it fired.
    private Object armed;
    private boolean expired;
    // Written under lock by the reap; once set, the pid is no longer ours to signal.
    private volatile WaitStatus status;

    CloneChild(int pid, ChildProgram program, OwnedFd go, OwnedFd report) {
        this.pid = pid;
        this.program = program;
        this.go = go;
        this.report = report;
    }

    /** The child's pid, as this JVM's pid namespace sees it. */
    public int pid() {
        return pid;
    }

    /** How many earlier attempts of this spawn the watchdog killed. */
    public int retries() {
        return retries;
    }

    void retries(int count) {
        retries = count;
    }

    /** Whether the child has reported its hold point. */
    public boolean held() {
        return held;
    }

    /** Whether the report pipe reached end of file without a failure: execve(2) succeeded. */
    public boolean execed() {
        return execed;
    }

    /**
     * Lets the child go past its "wait for parent" step: one byte down the go pipe. Everything
     * the child needs from the parent first (uid and gid maps, a cgroup) must be done by now.
     */
    public void proceed() {
        if (proceeded) {
            throw new IllegalStateException("clone child " + pid + " has already been told to proceed");
        }
        proceeded = true;
        try (go) {
            go.writeFully(new byte[] {1});
        } catch (SyscallException e) {
            // EPIPE: the child is already gone; the next await finds out how.
            if (e.errno() != linux_h.EPIPE()) {
                throw e;
            }
        }
    }

    /**
     * Waits for the child's hold point. If it does not report it within {@code watchdog}, it is
     * killed and reaped and {@link ChildStuckException} thrown.
     *
     * @throws ChildStepException when a step before the hold point failed
     */
    public void awaitHeld(Duration watchdog) {
        if (!program.holds()) {
            throw new IllegalStateException("the program of clone child " + pid + " has no hold point");
        }
        if (held) {
            return;
        }
        Report report = next(watchdog);
        if (report.kind() != Kind.HELD) {
            throw failure(report, "reach its hold point", watchdog);
        }
    }

    /**
     * Waits until execve(2) has replaced the child's program (for a held child: after it was
     * released). If that does not happen within {@code watchdog}, the child is killed and
     * reaped and {@link ChildStuckException} thrown.
     *
     * @throws ChildStepException when a step failed
     */
    public void awaitExec(Duration watchdog) {
        while (!execed) {
            Report report = next(watchdog);
            if (report.kind() != Kind.HELD && report.kind() != Kind.EXECED) {
                throw failure(report, "exec", watchdog);
            }
        }
    }

    /**
     * Reads the next record from the report pipe, with the watchdog armed: if it expires first,
     * the child is killed (which ends the read with end of file) and the answer is TIMED_OUT.
     */
    Report next(Duration watchdog) {
        Object token = new Object();
        arm(token);
        ScheduledFuture<?> timer =
                Watchdog.TIMER.schedule(() -> expire(token), watchdog.toNanos(), TimeUnit.NANOSECONDS);
        Report record;
        boolean timedOut;
        try {
            record = readReport(report);
        } finally {
            timer.cancel(false);
            timedOut = arm(null);
        }
        if (timedOut) {
            return new Report(Kind.TIMED_OUT, -1, 0);
        }
        switch (record.kind()) {
            case HELD -> held = true;
            case EXECED -> execed = true;
            default -> {}
        }
        return record;
    }

    /** Sets which arming the watchdog may act on (null: none); whether the previous one fired. */
    private boolean arm(Object token) {
        lock.lock();
        try {
            boolean fired = expired;
            armed = token;
            expired = false;
            return fired;
        } finally {
            lock.unlock();
        }
    }

    private void expire(Object token) {
        lock.lock();
        try {
            if (armed == token && status == null) {
                expired = true;
                Signals.kill(pid, linux_h.SIGKILL());
            }
        } finally {
            lock.unlock();
        }
    }

    /** One record from a report pipe: 8 bytes, or end of file. */
    static Report readReport(OwnedFd report) {
        byte[] bytes = new byte[RECORD_BYTES];
        int got = 0;
        while (got < RECORD_BYTES) {
            int count = report.read(bytes, got, RECORD_BYTES - got);
            if (count == 0) {
                break;
            }
            got += count;
        }
        if (got == 0) {
            return new Report(Kind.EXECED, -1, 0);
        }
        if (got < RECORD_BYTES) {
            return new Report(Kind.INCOMPLETE, -1, 0);
        }
        ByteBuffer record = ByteBuffer.wrap(bytes).order(ByteOrder.nativeOrder());
        int mark = record.getInt(0);
        int errno = record.getInt(4);
        return switch (mark) {
            case ChildProgram.HELD_MARK -> new Report(Kind.HELD, -1, 0);
            case ChildProgram.CLONE_MARK -> new Report(Kind.CLONE_FAILED, -1, errno);
            default -> new Report(Kind.STEP_FAILED, mark, errno);
        };
    }

    /**
     * Reaps the child (it is dead, or about to be) and builds the exception for a report that is
     * not the one awaited.
     */
    RuntimeException failure(Report report, String awaited, Duration watchdog) {
        if (report.kind() == Kind.HELD) {
            return new IllegalStateException(
                    "clone child " + pid + " reported its hold point while expected to " + awaited);
        }
        WaitStatus ended = waitFor();
        return switch (report.kind()) {
            case STEP_FAILED ->
                new ChildStepException(program.stepName(report.slot()), report.slot(), pid, report.errno());
            case TIMED_OUT ->
                new ChildStuckException("clone child " + pid + " did not " + awaited + " within " + watchdog.toMillis()
                        + " ms and was killed (" + ended + ")");
            case EXECED ->
                new IllegalStateException("clone child " + pid + " ended before its hold point (" + ended + ")");
            default ->
                new IllegalStateException("clone child " + pid + " died while reporting a failure (" + ended + ")");
        };
    }

    /**
     * Waits for the child to end and reaps it: wait4(2). The status is remembered, so later
     * calls return it at once. A shell's {@code $?} is {@link WaitStatus#shellCode()}.
     */
    public WaitStatus waitFor() {
        reaping.lock();
        try {
            if (status == null) {
                waitUntilEnded();
                lock.lock();
                try {
                    status = reap();
                } finally {
                    lock.unlock();
                }
            }
            return status;
        } finally {
            reaping.unlock();
        }
    }

    /**
     * waitid(2) with WNOWAIT: blocks until the child has ended but leaves it a zombie, so the
     * watchdog and {@link #signal} can still name it by pid while this thread waits without
     * holding the lock they take.
     */
    private void waitUntilEnded() {
        try (var arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(SIGINFO_BYTES);
            long result = Syscall.attemptRetryingInterrupted(
                    linux_h.SYS_waitid(),
                    linux_h.P_PID(),
                    pid,
                    info.address(),
                    linux_h.WEXITED() | linux_h.WNOWAIT(),
                    0);
            Syscall.checked(result, "waitid", "pid " + pid);
        }
    }

    /** wait4(2) of a child that has ended: returns at once and frees its pid. */
    private WaitStatus reap() {
        try (var arena = Arena.ofConfined()) {
            MemorySegment raw = arena.allocate(JAVA_INT);
            Syscall.call("wait4", "pid " + pid, SyscallNumbers.WAIT4, pid, raw.address(), 0, 0);
            return WaitStatus.decode(raw.get(JAVA_INT, 0));
        }
    }

    /** kill(2) the child with {@code signal}, unless it has been reaped already. */
    public void signal(int signal) {
        lock.lock();
        try {
            if (status == null) {
                Signals.kill(pid, signal);
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Closes the parent's pipe ends. A child that has not exec'd (never told to proceed, held, or
     * stuck) is killed and reaped: nothing half-started is left behind. One that exec'd keeps
     * running; {@link #waitFor()} reaps it.
     */
    @Override
    public void close() {
        try {
            if (status == null && !execed) {
                signal(linux_h.SIGKILL());
                waitFor();
            }
        } finally {
            try (report) {
                go.close();
            }
        }
    }

    @Override
    public String toString() {
        return "clone child " + pid
                + (status != null ? " (" + status + ")" : execed ? " (exec'd)" : held ? " (held)" : "");
    }

    /** Starts the watchdog's thread now, if it is not running yet. */
    static void startWatchdogThread() {
        Watchdog.TIMER.prestartCoreThread();
    }

    /** One daemon thread for every watchdog: it only ever sends a SIGKILL. */
    private static final class Watchdog {
        static final ScheduledThreadPoolExecutor TIMER = create();

        private static ScheduledThreadPoolExecutor create() {
            var timer = new ScheduledThreadPoolExecutor(
                    1,
                    task -> Thread.ofPlatform()
                            .daemon()
                            .name("canal-clone-watchdog")
                            .unstarted(task));
            timer.setRemoveOnCancelPolicy(true);
            return timer;
        }
    }
}
