package dev.canal.runtime.sys;

import static dev.canal.bindings.linux.linux_h.C_LONG;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.Arrays;

/**
 * syscall(2): enter the kernel by number, for calls glibc has no wrapper for (pivot_root,
 * clone3), has one only in recent versions (fsopen, fsmount, move_mount: glibc 2.36), or wraps
 * with process-wide semantics Canal must avoid (setresuid and capset broadcast to every thread
 * through a signal; the raw system call changes only the calling thread).
 *
 * <p>{@code long syscall(long number, ...)} is variadic. Every argument is passed as a
 * {@code long}: on x86-64 and arm64 the kernel reads six 64-bit registers, and a pointer is its
 * address ({@link MemorySegment#address()}).
 */
public final class Syscall {

    private static final int MAX_ARGS = 6;
    private static final MethodHandle[] BY_ARITY = new MethodHandle[MAX_ARGS + 1];

    static {
        for (int arity = 0; arity <= MAX_ARGS; arity++) {
            MemoryLayout[] arguments = new MemoryLayout[arity + 1];
            Arrays.fill(arguments, C_LONG);
            BY_ARITY[arity] = Downcall.capturingErrnoVariadic(
                    linux_h.syscall.address(), FunctionDescriptor.of(C_LONG, arguments), 1);
        }
    }

    private Syscall() {}

    /**
     * Calls system call {@code number} with up to six arguments and returns its result.
     *
     * @param name    the call's name, for the error message
     * @param subject what the call is about (a path, an id), for the error message
     * @throws SyscallException when the kernel returns an error
     */
    public static long call(String name, String subject, long number, long... args) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            long result = invoke(state, number, args);
            return Downcall.check(result, state, name, subject);
        }
    }

    private static long invoke(MemorySegment state, long number, long[] a) {
        try {
            return switch (a.length) {
                case 0 -> (long) BY_ARITY[0].invokeExact(state, number);
                case 1 -> (long) BY_ARITY[1].invokeExact(state, number, a[0]);
                case 2 -> (long) BY_ARITY[2].invokeExact(state, number, a[0], a[1]);
                case 3 -> (long) BY_ARITY[3].invokeExact(state, number, a[0], a[1], a[2]);
                case 4 -> (long) BY_ARITY[4].invokeExact(state, number, a[0], a[1], a[2], a[3]);
                case 5 -> (long) BY_ARITY[5].invokeExact(state, number, a[0], a[1], a[2], a[3], a[4]);
                case 6 -> (long) BY_ARITY[6].invokeExact(state, number, a[0], a[1], a[2], a[3], a[4], a[5]);
                default ->
                    throw new IllegalArgumentException("a system call takes at most 6 arguments, got " + a.length);
            };
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }
}
