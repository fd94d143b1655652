package dev.canal.runtime.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sys layer's one downcall: every C function it calls, syscall(2) first of all, is called
 * through a single handle of shape {@code long f(long, ...)}, with seven {@code long} arguments,
 * linked once, with errno captured.
 *
 * <p>Why one: each distinct shape of downcall (descriptor and linker options) costs every new JVM
 * a downcall stub class and 10 to 15 method handle forms spun at run time, which the AOT cache
 * cannot hold (docs/start-time.md). The handle takes the function's address as its first
 * argument, so a function costs a symbol lookup and nothing else. The lookup is by name, not
 * through jextract's {@code mount$address()}: that initialises jextract's holder class of the
 * function, which links jextract's own handle, a stub of another shape.
 *
 * <p>Why one is enough: in the C calling convention of x86-64 (the System V ABI, section 3.2.3) a
 * function whose arguments are all integers or pointers takes them in rdi, rsi, rdx, rcx, r8 and
 * r9, a seventh on the stack, and returns its result in rax. So for any such function of up to
 * seven arguments:
 *
 * <ul>
 *   <li>a pointer is passed as its {@link MemorySegment#address()}, and an {@code int} or
 *       {@code short} as a {@code long} with the same value: the callee reads the low bits it
 *       declared, and the sign extension is what a C caller leaves in the rest of the register;
 *   <li>the arguments it does not take are never read: registers it does not declare are
 *       scratch to it, and the caller, not the callee, owns and pops the stack;
 *   <li>its result is in rax: a pointer or {@code long} whole, an {@code int} in the low 32
 *       bits, the upper half undefined, so an {@code int} result is read as {@code (int) result};
 *   <li>{@code firstVariadicArg(1)}, which syscall(2)'s {@code ...} needs, makes the linker set
 *       al to the number of vector registers the call uses (here 0): only a variadic callee reads
 *       al (to spill those registers into its va_list area), a fixed one treats rax as scratch,
 *       and integer variadic arguments travel in the same registers as fixed ones;
 *   <li>{@code captureCallState("errno")} copies errno into a segment right after the call,
 *       before the JVM runs anything that could change it (docs/calling-the-kernel.md): for a
 *       function that does not set errno the copy is stale and nobody reads it.
 * </ul>
 *
 * <p>Linux on arm64 (AAPCS64) gives the same: eight integer argument registers, the result in x0
 * with an {@code int}'s upper half undefined, variadic arguments passed as fixed ones. {@code
 * DowncallDeclarationsTest} checks jextract's declaration of every function looked up here:
 * integers and pointers only, at most seven.
 *
 * <p>What is called here is looked up when its sys class is initialised, not on its first call:
 * the container's setup thread calls some functions after pivot_root(2), with its own root, where
 * a class path directory is no longer at its path and a class loaded then is not found
 * (CreateAndStartInDifferentJvmsTest).
 */
public final class Downcall {

    /** The most arguments a function called here may take: syscall(2)'s number and six. */
    public static final int MOST_ARGS = 7;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    /**
     * Where errno is in {@link #CALL_STATE}. Found by walking its members rather than with
     * {@code byteOffset} or a var handle of the layout: those initialise the JDK's
     * {@code LayoutPath}, seven method handle forms spun in every new JVM (docs/start-time.md).
     */
    private static final long ERRNO_OFFSET = offsetOf(CALL_STATE, "errno");
    /** libc, where every function the sys layer calls is. */
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    /** Each function looked up so far, for the test of their declarations. */
    private static final Set<String> FUNCTIONS = ConcurrentHashMap.newKeySet();

    /** {@code (MemorySegment function, MemorySegment callState, long... seven) -> long}: see above. */
    private static final MethodHandle ANY_FUNCTION = LINKER.downcallHandle(
            FunctionDescriptor.of(
                    JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.captureCallState("errno"),
            Linker.Option.firstVariadicArg(1));

    /** Where the errno of a call whose caller does not read it goes; threads may overwrite each other's. */
    private static final MemorySegment UNREAD_CALL_STATE = Arena.global().allocate(CALL_STATE);

    private Downcall() {}

    /**
     * The address of the C library's function {@code name}, to {@link #call}: one whose
     * arguments are integers and pointers only, at most {@value #MOST_ARGS}, and whose result is
     * one too, or void.
     */
    public static MemorySegment function(String name) {
        FUNCTIONS.add(name);
        return LIBC.find(name).orElseThrow(() -> new UnsatisfiedLinkError("no " + name + " in the C library"));
    }

    /** The names {@link #function} has looked up so far. */
    static Set<String> functions() {
        return Set.copyOf(FUNCTIONS);
    }

    /**
     * Calls {@code function} with {@code args} (pointers as their addresses), leaves errno in
     * {@code callState} and returns the function's result (an {@code int} one in the low 32
     * bits).
     */
    public static long call(MemorySegment function, MemorySegment callState, long... args) {
        if (args.length > MOST_ARGS) {
            throw new IllegalArgumentException(
                    "a downcall takes at most " + MOST_ARGS + " arguments, got " + args.length);
        }
        try {
            return (long) ANY_FUNCTION.invokeExact(
                    function,
                    callState,
                    argument(args, 0),
                    argument(args, 1),
                    argument(args, 2),
                    argument(args, 3),
                    argument(args, 4),
                    argument(args, 5),
                    argument(args, 6));
        } catch (Throwable t) {
            throw unchecked(t);
        }
    }

    /** Argument {@code i} of a call, 0 for a register the function does not take (see above). */
    private static long argument(long[] args, int i) {
        return i < args.length ? args[i] : 0;
    }

    /**
     * {@link #call} of a function whose errno the caller does not need: one that returns an
     * error number instead (posix_spawn(3)), or cannot fail.
     */
    public static long callIgnoringErrno(MemorySegment function, long... args) {
        return call(function, UNREAD_CALL_STATE, args);
    }

    /** Room for one call's captured errno, valid as long as {@code arena}. */
    public static MemorySegment newCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    /** The errno the last call with {@code state} left in it. */
    public static int errno(MemorySegment state) {
        // Its bytes copied into an int, which keeps the machine's byte order (see ERRNO_OFFSET).
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
    private static RuntimeException unchecked(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            return runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        return new IllegalStateException("unexpected checked exception from a downcall", t);
    }
}
