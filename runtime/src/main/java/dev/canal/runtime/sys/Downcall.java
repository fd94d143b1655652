package dev.canal.runtime.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Makes the method handles of the {@code sys} layer: libc functions that also report errno.
 *
 * <p>jextract declares each C function (its {@link FunctionDescriptor}, {@code mount$descriptor()}),
 * and its own handle does not capture errno. By the time Java code could call
 * {@code __errno_location()} after a downcall, the JVM may have run other native code on the same
 * thread and overwritten it. The linker option {@code captureCallState("errno")} copies errno into
 * a memory segment right after the call returns, before the JVM does anything else. The resulting
 * handle takes that segment as an extra first argument: {@code (MemorySegment state, <the C
 * arguments>)}.
 *
 * <p>Few are made: each distinct shape (descriptor and linker options) costs every new JVM a
 * downcall stub class and a dozen method handle forms spun at run time, which the AOT cache
 * cannot hold (docs/start-time.md). So every plain system call goes through {@link Syscall}'s
 * one handle, and only libc functions that do more than one system call get a handle here.
 *
 * <p>A handle is made from the function's name and its descriptor as the sys class writes it, not
 * from jextract's {@code mount$address()}: that initialises jextract's holder class of the
 * function, which links jextract's own handle too, a second downcall stub and its method handle
 * forms per function that nothing calls (each distinct shape costs a stub class and some
 * LambdaForms in every new JVM: docs/start-time.md). {@code DowncallDeclarationsTest} checks every
 * descriptor written here against jextract's declaration of the same function.
 *
 * <p>Each sys class links all its handles when it is initialised, not each on its first call:
 * the container's setup thread calls some of them after pivot_root(2), with its own root, where
 * a class path directory is no longer at its path and a holder class loaded then is not found
 * (CreateAndStartInDifferentJvmsTest), and the thread engine's spawning thread must find what it
 * calls linked.
 */
public final class Downcall {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    /**
     * Where errno is in {@link #CALL_STATE}. Found by walking its members rather than with
     * {@code byteOffset} or a var handle of the layout: those initialise the JDK's
     * {@code LayoutPath}, seven method handle forms spun in every new JVM (docs/start-time.md).
     */
    private static final long ERRNO_OFFSET = offsetOf(CALL_STATE, "errno");
    /** libc, where every function the sys layer calls is. */
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    /** Each function linked by name, with the descriptor it was linked with, for the test above. */
    private static final Map<String, FunctionDescriptor> DECLARED = new ConcurrentHashMap<>();
    /** Each distinct shape linked so far, what the linker spins a stub for, for the test of their number. */
    private static final Set<Shape> SHAPES = ConcurrentHashMap.newKeySet();

    private static final int FIXED = -1;

    /**
     * A descriptor and where its {@code ...} begins ({@link #FIXED} for none): what the linker
     * makes one stub for. Its equals and hashCode are written out: a record's own are linked
     * through invokedynamic ({@code java.lang.runtime.ObjectMethods}), which the AOT cache does not
     * keep, and cost every new JVM six method handle forms at its first link (docs/start-time.md).
     */
    record Shape(FunctionDescriptor descriptor, int firstVariadicArg) {

        @Override
        public boolean equals(Object other) {
            return other instanceof Shape that
                    && firstVariadicArg == that.firstVariadicArg
                    && descriptor.equals(that.descriptor);
        }

        @Override
        public int hashCode() {
            return 31 * descriptor.hashCode() + firstVariadicArg;
        }
    }

    private Downcall() {}

    /**
     * A handle for the fixed-argument libc function {@code name}, declared by {@code descriptor},
     * that captures errno into its first argument.
     */
    public static MethodHandle capturingErrno(String name, FunctionDescriptor descriptor) {
        DECLARED.put(name, descriptor);
        SHAPES.add(new Shape(descriptor, FIXED));
        return LINKER.downcallHandle(find(name), descriptor, CAPTURE_ERRNO);
    }

    private static MemorySegment find(String name) {
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in the C library"));
    }

    /** The functions linked by {@link #capturingErrno(String, FunctionDescriptor)} so far, and their descriptors. */
    static Map<String, FunctionDescriptor> declared() {
        return Map.copyOf(DECLARED);
    }

    /** The distinct shapes (descriptor and where a {@code ...} begins) linked so far, for the test of their number. */
    static Set<Shape> shapes() {
        return Set.copyOf(SHAPES);
    }

    /**
     * A handle for one shape of the variadic libc function {@code name}, whose {@code ...} begins
     * at argument {@code firstVariadicArg}: the C calling convention for variadic arguments
     * differs from fixed ones on some ABIs, so the linker must be told where it begins.
     */
    public static MethodHandle capturingErrnoVariadic(
            String name, FunctionDescriptor descriptor, int firstVariadicArg) {
        SHAPES.add(new Shape(descriptor, firstVariadicArg));
        return LINKER.downcallHandle(
                find(name), descriptor, CAPTURE_ERRNO, Linker.Option.firstVariadicArg(firstVariadicArg));
    }

    /** Room for one call's captured errno, valid as long as {@code arena}. */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** The errno the last call through a capturing handle left in {@code state}. */
    public static int errno(MemorySegment state) {
        // Its bytes copied into an int, which keeps the native byte order (see ERRNO_OFFSET).
        int[] errno = new int[1];
        MemorySegment.ofArray(errno).copyFrom(state.asSlice(ERRNO_OFFSET, Integer.BYTES));
        return errno[0];
    }

    /** The offset of member {@code name} of {@code struct}, whose padding FFM lays out as members too. */
    private static long offsetOf(StructLayout struct, String name) {
        long offset = 0;
        for (MemoryLayout member : struct.memberLayouts()) {
            if (member.name().orElse("").equals(name)) {
                return offset;
            }
            offset += member.byteSize();
        }
        throw new IllegalStateException("no " + name + " in " + struct);
    }

    /**
     * The usual libc convention: a negative result means failure and errno says why. Returns
     * {@code result} so a call site can be one line.
     */
    public static int check(int result, MemorySegment state, String call, String subject) {
        if (result < 0) {
            throw Errno.failure(call, subject, errno(state));
        }
        return result;
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
