package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.MemorySegment;

/**
 * seccomp(2) with SECCOMP_SET_MODE_FILTER: attaches a classic BPF program that the kernel runs on
 * every later system call of the calling thread and of the processes it starts (filters are
 * inherited across fork, clone and execve, and stack: each new one runs too, the strictest verdict
 * wins). See the kernel's Documentation/userspace-api/seccomp_filter.rst.
 *
 * <p>Called through the raw system call: glibc has no seccomp() wrapper, and prctl(PR_SET_SECCOMP)
 * cannot pass flags.
 */
public final class SeccompFilter {

    private SeccompFilter() {}

    /**
     * Whether the running kernel knows the SECCOMP_FILTER_FLAG_* bits {@code flags}, asked the
     * way libseccomp asks: SECCOMP_SET_MODE_FILTER with those flags and no program. The kernel
     * checks the flags first (EINVAL for one it does not know) and only then reads the program,
     * which fails with EFAULT; nothing is installed either way.
     */
    public static boolean kernelKnowsFlags(int flags) {
        try {
            new RawCall(
                            "seccomp(SECCOMP_SET_MODE_FILTER)",
                            linux_h.SYS_seccomp(),
                            linux_h.SECCOMP_SET_MODE_FILTER(),
                            flags,
                            0)
                    .invoke();
        } catch (SyscallException e) {
            if (e.errno() == linux_h.EFAULT()) {
                return true;
            }
            if (e.errno() == linux_h.EINVAL()) {
                return false;
            }
            throw e;
        }
        throw new IllegalStateException("seccomp(SECCOMP_SET_MODE_FILTER) accepted a null program");
    }

    /**
     * The call that installs {@code sockFprog}, a native {@code struct sock_fprog}, on the thread
     * that makes it: a spawning thread, or a clone child after clone(2); {@code sockFprog} must
     * outlive it. It needs no_new_privs on the thread (prctl(PR_SET_NO_NEW_PRIVS, 1)) or
     * CAP_SYS_ADMIN in its user namespace, else EACCES; EINVAL for a program the kernel's
     * checker refuses or unknown flags.
     *
     * @param flags SECCOMP_FILTER_FLAG_* bits, such as SECCOMP_FILTER_FLAG_LOG
     */
    public static RawCall installCall(MemorySegment sockFprog, int flags) {
        return new RawCall(
                "seccomp(SECCOMP_SET_MODE_FILTER)",
                linux_h.SYS_seccomp(),
                linux_h.SECCOMP_SET_MODE_FILTER(),
                flags,
                sockFprog.address());
    }
}
