package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;

/**
 * Process and thread ids. A Java thread is a kernel task with its own id (the tid); namespace
 * and credential changes made with raw system calls apply to that task only.
 */
public final class Processes {

    private Processes() {}

    /** getpid(2): the id of this JVM process (the thread group id). */
    public static int pid() {
        return linux_h.getpid();
    }

    /** gettid(2): the kernel id of the calling thread; equals {@link #pid()} only on the main thread. */
    public static int tid() {
        return (int) Syscall.call("gettid", "", linux_h.SYS_gettid());
    }
}
