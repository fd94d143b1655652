package dev.canal.runtime.sys;

import static dev.canal.bindings.linux.linux_h.C_INT;
import static dev.canal.bindings.linux.linux_h.C_LONG;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/** prctl(2): per-process and per-thread switches. */
public final class ProcessControl {

    // prctl is variadic: int prctl(int option, ...); every option Canal uses takes longs.
    private static final MethodHandle PRCTL = Downcall.capturingErrnoVariadic(
            linux_h.prctl.address(), FunctionDescriptor.of(C_INT, C_INT, C_LONG, C_LONG, C_LONG, C_LONG), 1);

    private ProcessControl() {}

    /**
     * PR_SET_CHILD_SUBREAPER: orphaned descendants are reparented to this process instead of
     * init, so it can reap them and learn how they exited. A container whose creator has exited
     * is such an orphan; container managers (conmon, containerd's shim) are subreapers for this.
     */
    public static void becomeChildSubreaper() {
        call(linux_h.PR_SET_CHILD_SUBREAPER(), 1, "PR_SET_CHILD_SUBREAPER");
    }

    /**
     * PR_SET_DUMPABLE 0 for the whole process: no core dumps, and other processes need
     * CAP_SYS_PTRACE in the initial user namespace for ptrace(2), /proc/PID/mem or /proc/PID/exe
     * (see {@link CapabilityCalls#setNotDumpable()}). A JVM that spawns containers with the
     * thread engine does this once: its held children share its memory until they exec.
     */
    public static void makeNotDumpable() {
        call(linux_h.PR_SET_DUMPABLE(), 0, "PR_SET_DUMPABLE");
    }

    private static void call(int option, long argument, String name) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            Downcall.check((int) PRCTL.invokeExact(state, option, argument, 0L, 0L, 0L), state, "prctl", name);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }
}
