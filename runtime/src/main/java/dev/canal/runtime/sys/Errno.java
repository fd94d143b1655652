package dev.canal.runtime.sys;

import java.lang.foreign.MemorySegment;

/**
 * Names and descriptions of errno values, from the C library itself.
 *
 * <p>strerrorname_np(3) gives the symbol ({@code "ENOENT"}) and strerror(3) the sentence
 * ({@code "No such file or directory"}), so Canal never keeps its own table that could drift from
 * the kernel's. Both are only called on the error path, and are libc, not syscall(2): they read
 * glibc's tables and make no system call.
 */
public final class Errno {

    /** {@code const char *strerrorname_np(int errnum)}. */
    private static final MemorySegment STRERRORNAME_NP = Downcall.function("strerrorname_np");
    /** {@code char *strerror(int errnum)}. */
    private static final MemorySegment STRERROR = Downcall.function("strerror");

    private Errno() {}

    /** The symbolic name of {@code errno}, for example {@code "EPERM"}; {@code "errno N"} if unknown. */
    public static String name(int errno) {
        MemorySegment name = callForString(STRERRORNAME_NP, errno);
        return name.equals(MemorySegment.NULL) ? "errno " + errno : CStrings.read(name);
    }

    /** The strerror(3) text of {@code errno}, for example {@code "Operation not permitted"}. */
    public static String description(int errno) {
        return CStrings.read(callForString(STRERROR, errno));
    }

    /** Builds the exception for a call that failed with {@code errno}. */
    public static SyscallException failure(String call, String subject, int errno) {
        return new SyscallException(call, subject, errno, name(errno), description(errno));
    }

    private static MemorySegment callForString(MemorySegment function, int errno) {
        return MemorySegment.ofAddress(Downcall.callIgnoringErrno(function, errno));
    }
}
