package dev.canal.runtime.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Turns a jextract declaration into a method handle that also reports errno.
 *
 * <p>jextract gives each C function an address ({@code mount$address()}) and a
 * {@link FunctionDescriptor} ({@code mount$descriptor()}), and its own handle does not capture
 * errno. By the time Java code could call {@code __errno_location()} after a downcall, the JVM
 * may have run other native code on the same thread and overwritten it. The linker option
 * {@code captureCallState("errno")} copies errno into a memory segment right after the call
 * returns, before the JVM does anything else. The resulting handle takes that segment as an
 * extra first argument: {@code (MemorySegment state, <the C arguments>)}.
 */
public final class Downcall {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private Downcall() {}

    /** A handle for a fixed-argument C function that captures errno into its first argument. */
    public static MethodHandle capturingErrno(MemorySegment address, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(address, descriptor, CAPTURE_ERRNO);
    }

    /**
     * A handle for one shape of a variadic C function ({@code syscall}, {@code prctl},
     * {@code ioctl}, {@code fcntl}, {@code open}). The C calling convention for variadic
     * arguments differs from fixed ones on some ABIs, so the linker must be told where the
     * {@code ...} begins.
     */
    public static MethodHandle capturingErrnoVariadic(
            MemorySegment address, FunctionDescriptor descriptor, int firstVariadicArg) {
        return LINKER.downcallHandle(
                address, descriptor, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(firstVariadicArg));
    }

    /** Room for one call's captured errno, valid as long as {@code arena}. */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** The errno the last call through a capturing handle left in {@code state}. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    /**
     * The usual libc convention: a negative result means failure and errno says why. Returns
     * {@code result} so a call site can be one line.
     */
    public static long check(long result, MemorySegment state, String call, String subject) {
        if (result < 0) {
            throw Errno.failure(call, subject, errno(state));
        }
        return result;
    }

    /** {@link #check(long, MemorySegment, String, String)} for the many calls that return an int. */
    public static int check(int result, MemorySegment state, String call, String subject) {
        return (int) check((long) result, state, call, subject);
    }

    /**
     * {@code MethodHandle.invokeExact} declares {@code Throwable}; a downcall itself only throws
     * what the JVM throws (errors) or what our own checks throw (runtime exceptions).
     */
    public static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            return runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }
}
