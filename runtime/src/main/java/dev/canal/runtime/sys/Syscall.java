package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * syscall(2): enter the kernel by number. Every plain system call of the sys layer goes through
 * here, those glibc wraps as well as those it has no wrapper for (pivot_root, clone3), has one
 * only in recent versions (fsopen, fsmount, move_mount: glibc 2.36), or wraps with process-wide
 * semantics Canal must avoid (setresuid and capset broadcast to every thread through a signal;
 * the raw system call changes only the calling thread).
 *
 * <p>The reason is start time: syscall(2) is called through {@link Downcall}'s one handle, like
 * every C function of the sys layer, with six {@code long} arguments after the number; a call
 * with fewer passes zeros: on x86-64 and arm64 the kernel reads six 64-bit registers and ignores
 * those a call does not take (syscall(2)). A pointer is passed as its address
 * ({@link MemorySegment#address()}), so its arena must stay open until the call returns.
 */
public final class Syscall {

    /** The kernel's six argument registers: the number takes the downcall's first argument. */
    private static final int MAX_ARGS = Downcall.MOST_ARGS - 1;

    /** {@code long syscall(long number, ...)}. */
    private static final MemorySegment SYSCALL = Downcall.function("syscall");

    private Syscall() {}

    /**
     * Calls system call {@code number} with up to six arguments and returns its result.
     *
     * @param name    the call's name, for the error message
     * @param subject what the call is about (a path, an id), for the error message
     * @throws SyscallException when the kernel returns an error
     */
    public static long call(String name, String subject, long number, long... args) {
        return checked(attempt(number, args), name, subject);
    }

    /**
     * {@link #attempt}, made again while a signal interrupts it (EINTR), as the C library's stdio
     * does for read(2) and write(2).
     */
    public static long attemptRetryingInterrupted(long number, long... args) {
        while (true) {
            long result = attempt(number, args);
            if (result != -linux_h.EINTR()) {
                return result;
            }
        }
    }

    /**
     * Calls system call {@code number} and returns its result, or minus the errno when it fails,
     * as the kernel itself returns it: for a caller that handles some errno on its own.
     */
    public static long attempt(long number, long... args) {
        if (args.length > MAX_ARGS) {
            throw new IllegalArgumentException("a system call takes at most 6 arguments, got " + args.length);
        }
        long[] numberAndArgs = new long[1 + args.length];
        numberAndArgs[0] = number;
        System.arraycopy(args, 0, numberAndArgs, 1, args.length);
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            long result = Downcall.call(SYSCALL, state, numberAndArgs);
            return result < 0 ? -Downcall.errno(state) : result;
        }
    }

    /**
     * {@code result} of {@link #attempt} when it is not an error; else the exception naming
     * {@code name}, {@code subject} and the errno.
     */
    public static long checked(long result, String name, String subject) {
        if (result < 0) {
            throw Errno.failure(name, subject, (int) -result);
        }
        return result;
    }
}
