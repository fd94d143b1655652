package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Names and descriptions of errno values, from the C library itself.
 *
 * <p>strerrorname_np(3) gives the symbol ({@code "ENOENT"}) and strerror(3) the sentence
 * ({@code "No such file or directory"}), so Canal never keeps its own table that could drift from
 * the kernel's. Both are only called on the error path, and are libc, not syscall(2): they read
 * glibc's tables and make no system call.
 */
public final class Errno {

    private Errno() {}

    /** The symbolic name of {@code errno}, for example {@code "EPERM"}; {@code "errno N"} if unknown. */
    public static String name(int errno) {
        MemorySegment name = callForString(linux_h.strerrorname_np$handle(), errno);
        return name.equals(MemorySegment.NULL) ? "errno " + errno : CStrings.read(name);
    }

    /** The strerror(3) text of {@code errno}, for example {@code "Operation not permitted"}. */
    public static String description(int errno) {
        return CStrings.read(callForString(linux_h.strerror$handle(), errno));
    }

    /** Builds the exception for a call that failed with {@code errno}. */
    public static SyscallException failure(String call, String subject, int errno) {
        return new SyscallException(call, subject, errno, name(errno), description(errno));
    }

    private static MemorySegment callForString(MethodHandle function, int errno) {
        try {
            return (MemorySegment) function.invokeExact(errno);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }
}
