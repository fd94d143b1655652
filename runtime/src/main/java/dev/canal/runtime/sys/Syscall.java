package dev.canal.runtime.sys;

import static dev.canal.bindings.linux.linux_h.C_LONG;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

/**
 * syscall(2): enter the kernel by number. Every plain system call of the sys layer goes through
 * here, those glibc wraps as well as those it has no wrapper for (pivot_root, clone3), has one
 * only in recent versions (fsopen, fsmount, move_mount: glibc 2.36), or wraps with process-wide
 * semantics Canal must avoid (setresuid and capset broadcast to every thread through a signal;
 * the raw system call changes only the calling thread).
 *
 * <p>The reason is start time: each distinct shape of downcall costs every new JVM a downcall
 * stub and a dozen method handle form classes, spun at run time, which the AOT cache cannot hold
 * (docs/start-time.md). So {@code long syscall(long number, ...)} is linked once, with six
 * {@code long} arguments after the number, and a call with fewer passes zeros: on x86-64 and
 * arm64 the kernel reads six 64-bit registers and ignores those a call does not take
 * (syscall(2)). A pointer is passed as its address ({@link MemorySegment#address()}), so its
 * arena must stay open until the call returns.
 */
public final class Syscall {

    private static final int MAX_ARGS = 6;

    /** {@code long syscall(long number, ...)}, the {@code ...} always six {@code long}s. */
    private static final MethodHandle SYSCALL = Downcall.capturingErrnoVariadic(
            "syscall", FunctionDescriptor.of(C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG, C_LONG), 1);

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
        long[] a = Arrays.copyOf(args, MAX_ARGS);
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            long result = (long) SYSCALL.invokeExact(state, number, a[0], a[1], a[2], a[3], a[4], a[5]);
            return result < 0 ? -Downcall.errno(state) : result;
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
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
