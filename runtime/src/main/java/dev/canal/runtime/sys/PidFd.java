package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;

/**
 * A process file descriptor (pidfd_open(2)): a handle on one process that, unlike its pid, can
 * never come to name another process. A signal sent through it after the process has been
 * reaped fails with ESRCH instead of reaching whoever got the pid next.
 */
public final class PidFd {

    private PidFd() {}

    /** pidfd_open(2) for {@code pid}, close-on-exec (pidfds always are). Linux 5.3. */
    public static OwnedFd open(int pid) {
        return OwnedFd.adopt((int) Syscall.call("pidfd_open", "pid " + pid, linux_h.SYS_pidfd_open(), pid, 0));
    }

    /**
     * pidfd_send_signal(2): {@code signal} to the process, if it still exists.
     *
     * @return false if it has already been reaped (ESRCH)
     */
    public static boolean sendSignal(OwnedFd pidfd, int signal) {
        try {
            Syscall.call(
                    "pidfd_send_signal",
                    pidfd + ", " + Signals.name(signal),
                    linux_h.SYS_pidfd_send_signal(),
                    pidfd.fd(),
                    signal,
                    0,
                    0);
            return true;
        } catch (SyscallException e) {
            if (e.errno() == linux_h.ESRCH()) {
                return false;
            }
            throw e;
        }
    }
}
