package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;

/** prctl(2): per-process and per-thread switches. */
public final class ProcessControl {

    private ProcessControl() {}

    /**
     * PR_SET_CHILD_SUBREAPER: orphaned descendants are reparented to this process instead of
     * init, so it can reap them and learn how they exited. A container whose creator has exited
     * is such an orphan; container managers (conmon, containerd's shim) are subreapers for this.
     */
    public static void becomeChildSubreaper() {
        Syscall.call("prctl", "PR_SET_CHILD_SUBREAPER", linux_h.SYS_prctl(), linux_h.PR_SET_CHILD_SUBREAPER(), 1);
    }

    /**
     * PR_SET_DUMPABLE 0 for the whole process: no core dumps, and other processes need
     * CAP_SYS_PTRACE in the initial user namespace for ptrace(2), /proc/PID/mem or /proc/PID/exe
     * (see {@link CapabilityCalls#setNotDumpable()}). A JVM that spawns containers with the
     * thread engine does this once: its held children share its memory until they exec.
     */
    public static void makeNotDumpable() {
        Syscall.call("prctl", "PR_SET_DUMPABLE", linux_h.SYS_prctl(), linux_h.PR_SET_DUMPABLE(), 0);
    }
}
