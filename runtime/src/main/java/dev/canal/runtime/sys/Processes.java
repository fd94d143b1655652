package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Process and thread ids. A Java thread is a kernel task with its own id (the tid); namespace
 * and credential changes made with raw system calls apply to that task only.
 */
public final class Processes {

    /** What {@link #pollExit} returns while the process is still running. */
    public static final int STILL_RUNNING = -1;

    private Processes() {}

    /** getpid(2): the id of this JVM process (the thread group id). */
    public static int pid() {
        return (int) Syscall.call("getpid", "", linux_h.SYS_getpid());
    }

    /** geteuid(2): the effective user id of this process, 0 for root. */
    public static int effectiveUid() {
        return (int) Syscall.call("geteuid", "", SyscallNumbers.GETEUID);
    }

    /**
     * exit_group(2): ends every thread of this JVM at once with {@code status}, without the JVM's
     * own exit. {@link Runtime#halt} waits up to 300 ms for threads in native code first (HotSpot's
     * {@code VM_Exit::wait_for_threads_in_native_to_block}), such as a thread held in
     * posix_spawn(3). Nothing in Java runs after it: the caller flushes what it wrote first.
     */
    public static void exitGroup(int status) {
        Syscall.attempt(linux_h.SYS_exit_group(), status);
        throw new IllegalStateException("exit_group(2) returned");
    }

    /** gettid(2): the kernel id of the calling thread; equals {@link #pid()} only on the main thread. */
    public static int tid() {
        return (int) Syscall.call("gettid", "", linux_h.SYS_gettid());
    }

    /**
     * wait4(2): waits for child {@code pid} to end, reaps it, and returns its status as a shell
     * reports it: the exit code, or 128 + the signal number for a process killed by a signal
     * (SIGKILL: 137). Any thread of the JVM may reap a child another thread created.
     */
    public static int waitForExit(int pid) {
        return waitFor(pid, 0);
    }

    /** {@link #waitForExit} without blocking: {@link #STILL_RUNNING} if the child has not ended. */
    public static int pollExit(int pid) {
        return waitFor(pid, linux_h.WNOHANG());
    }

    private static int waitFor(int pid, int options) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(ValueLayout.JAVA_INT);
            long result = Syscall.attemptRetryingInterrupted(
                    SyscallNumbers.WAIT4, pid, status.address(), options | linux_h.__WALL(), 0);
            if (result == 0) {
                return STILL_RUNNING;
            }
            Syscall.checked(result, "wait4", "pid " + pid);
            return shellStatus(status.get(ValueLayout.JAVA_INT, 0));
        }
    }

    /**
     * Decodes a wait status (wait(2)): the low 7 bits are the terminating signal, 0 for a normal
     * exit, whose code is in the next 8 bits. These are the C macros WIFEXITED, WEXITSTATUS and
     * WTERMSIG, which jextract cannot translate.
     */
    static int shellStatus(int status) {
        int signal = status & 0x7f;
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal;
    }
}
