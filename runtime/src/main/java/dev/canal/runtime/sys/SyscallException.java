package dev.canal.runtime.sys;

/**
 * A failed call into the kernel or libc, the one error type of the {@code sys} layer.
 *
 * <p>It carries what a person needs to act on the failure: the call, the symbolic errno
 * ({@code EPERM}), its strerror text and the path or id involved. The message reads like
 * crun's and the shell's: {@code mount(/var/lib/x, overlay): EINVAL (Invalid argument)}.
 * No {@code -1} return value leaks above {@code sys}; callers catch this and decide.
 */
public final class SyscallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String call;
    private final int errno;
    private final String errnoName;
    private final String subject;

    SyscallException(String call, String subject, int errno, String errnoName, String description) {
        super(call + (subject.isEmpty() ? "" : "(" + subject + ")") + ": " + errnoName + " (" + description + ")");
        this.call = call;
        this.subject = subject;
        this.errno = errno;
        this.errnoName = errnoName;
    }

    /** The libc function or system call that failed, for example {@code mount}. */
    public String call() {
        return call;
    }

    /** The raw errno value, for example 22. */
    public int errno() {
        return errno;
    }

    /** The symbolic errno, for example {@code EINVAL}. */
    public String errnoName() {
        return errnoName;
    }

    /** The path, id or arguments the call was about; empty when there are none worth naming. */
    public String subject() {
        return subject;
    }
}
