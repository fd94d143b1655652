package dev.canal.runtime.spawn.clone;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * The only Java code that runs in a cloned child: {@link #cloneAndRun}, one method that clones
 * this process and, in the child, executes a {@link ChildProgram} of {@value ChildProgram#SLOTS}
 * system calls, unrolled, ending in execve(2) or exit_group(2).
 *
 * <p>Everything here is shaped by what the JVM needs and the child does not have; the comment at
 * the top of {@link #cloneAndRun} gives the rules and why each exists. {@link WarmUp} runs this
 * method in the parent until C2 has compiled it; the JVM flags it needs are on
 * {@link CloneSpawner}. The body was generated once (a slot is one line) and is kept as plain Java
 * so that what runs is what you read.
 */
final class ChildPath {

    /** The exit status of a child whose step failed; the report pipe says which step and why. */
    static final int STEP_FAILED_EXIT = 127;

    private static final Linker LINKER = Linker.nativeLinker();

    /**
     * {@code long syscall(long number, ...)}, always with six arguments (the kernel reads six
     * registers and ignores the ones a call does not use), every pointer as its address.
     * {@code critical}: the JVM neither leaves the Java thread state nor polls for a safepoint
     * around the call (see the rules below). No {@code captureCallState}: it needs a
     * MemorySegment.
     */
    private static final MethodHandle SYSCALL = LINKER.downcallHandle(
            linux_h.syscall.address(),
            FunctionDescriptor.of(
                    JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG),
            Linker.Option.firstVariadicArg(1),
            Linker.Option.critical(false));

    /** {@code int *__errno_location(void)}, the address of this thread's errno, as a plain long. */
    private static final MethodHandle ERRNO_LOCATION = LINKER.downcallHandle(
            linux_h.__errno_location$address(), FunctionDescriptor.of(JAVA_LONG), Linker.Option.critical(false));

    private ChildPath() {}

    /**
     * Clones this process; in the child runs the program's slots in order and never returns.
     *
     * <p>In a real spawn {@code cloneNumber} is {@code SYS_clone}, {@code writeNumber}
     * {@code SYS_write} and {@code exitNumber} {@code SYS_exit_group}. The warm-up passes harmless
     * numbers instead, so the "child" half runs in the parent and returns (see {@link WarmUp}).
     *
     * @param cloneFlags  {@code CLONE_NEW*} flags, with {@code SIGCHLD} as the exit signal
     * @param reportFd    the write end of the close-on-exec report pipe
     * @param table       the address of the program's native table (for its failure records)
     * @param t           the table's {@value ChildProgram#SLOTS} rows of
     *                    {@value ChildProgram#ROW_LONGS} longs, copied into the Java heap
     * @return in the parent: the child's pid, or -1 when clone failed (a record on the report pipe
     *         says why). Only a dry run returns in the child: 0 when every slot succeeded,
     *         {@code -2 - k} when slot {@code k} failed.
     */
    static long cloneAndRun(
            long cloneNumber, long cloneFlags, long writeNumber, long exitNumber, long reportFd, long table, long[] t)
            throws Throwable {
        /*
         * Why this method looks the way it does. clone(2) without CLONE_VM copies the process,
         * but only the calling thread: the GC, the JIT compilers and the VM thread stay behind in
         * the parent, along with any lock they held. Until execve(2) replaces the JVM image (or
         * exit_group(2) ends it) the child must never need them:
         *
         * 1. One C2-compiled method, no loop, nothing left un-inlined but the native calls. C2
         *    polls for safepoints only at loop back-edges and returns; if a safepoint was being
         *    requested at the instant of the clone, the child's first poll would wait forever for
         *    a VM thread that does not exist. The interpreter and C1 code poll far more often, and
         *    a call that is not inlined may land in unlinked or interpreted code. The method must
         *    be compiled before the first real spawn: WarmUp runs it in the parent.
         * 2. No allocation: a TLAB refill or a GC needs the heap lock and the GC threads.
         * 3. Nothing to resolve, load or link: static final handles only, linked and inlined
         *    during warm-up, down to one native call each.
         * 4. Linker.Option.critical downcalls: an ordinary downcall moves the thread to the native
         *    state and back, and checks for a pending safepoint on the way back.
         * 5. Only longs: pointers are raw addresses prepared by the parent, and no MemorySegment is
         *    touched (no scope checks, no bounds-check exceptions, no allocation).
         * 6. errno is never read by Java. __errno_location() is asked before the clone (clone(2)
         *    copies the calling thread, TLS included, so the child's errno is at the same address)
         *    and on failure write(2) copies the int straight from there into the report pipe.
         * 7. Every branch was taken during warm-up: C2 compiles a branch it never saw taken as an
         *    uncommon trap, and a trap deoptimizes into the VM.
         * 8. No return in a real child: it ends in execve(2) or exit_group(2). Returning would
         *    poll and resume frames of a JVM that is not there.
         * 9. No libc but syscall() and __errno_location(): a raw clone skips glibc's fork
         *    handlers, so glibc's cached thread id is stale and its locks may be held by threads
         *    that were not copied.
         * 10. Every call site already linked in the parent: compiled code links a call the first
         *    time it runs, through the VM (a hung child's stack showed
         *    SharedRuntime::resolve_static_call_C waiting for a safepoint). CloneSpawner runs
         *    this path twice in the parent right before each clone (WarmUp.touch).
         * 11. No class-hierarchy bet that later class loading can lose: while only one
         *    MemorySegment implementation is loaded, C2 binds to it, and the first heap segment
         *    made anywhere later deoptimized this method. WarmUp loads them all first.
         * The report pipe is close-on-exec (execve(2): such descriptors are closed on a
         * successful exec), so the parent reads end of file without a record when execve
         * worked, and a record [slot, errno] when a slot failed.
         */
        // spotless:off (one slot a line, as generated)
        // Every slot's number (sK) and six arguments (aK to fK) into locals while this is still
        // the parent: after the clone the child reads nothing but its own registers and stack.
        long s0 = t[0], a0 = t[1], b0 = t[2], c0 = t[3], d0 = t[4], e0 = t[5], f0 = t[6];
        long s1 = t[8], a1 = t[9], b1 = t[10], c1 = t[11], d1 = t[12], e1 = t[13], f1 = t[14];
        long s2 = t[16], a2 = t[17], b2 = t[18], c2 = t[19], d2 = t[20], e2 = t[21], f2 = t[22];
        long s3 = t[24], a3 = t[25], b3 = t[26], c3 = t[27], d3 = t[28], e3 = t[29], f3 = t[30];
        long s4 = t[32], a4 = t[33], b4 = t[34], c4 = t[35], d4 = t[36], e4 = t[37], f4 = t[38];
        long s5 = t[40], a5 = t[41], b5 = t[42], c5 = t[43], d5 = t[44], e5 = t[45], f5 = t[46];
        long s6 = t[48], a6 = t[49], b6 = t[50], c6 = t[51], d6 = t[52], e6 = t[53], f6 = t[54];
        long s7 = t[56], a7 = t[57], b7 = t[58], c7 = t[59], d7 = t[60], e7 = t[61], f7 = t[62];
        long s8 = t[64], a8 = t[65], b8 = t[66], c8 = t[67], d8 = t[68], e8 = t[69], f8 = t[70];
        long s9 = t[72], a9 = t[73], b9 = t[74], c9 = t[75], d9 = t[76], e9 = t[77], f9 = t[78];
        long s10 = t[80], a10 = t[81], b10 = t[82], c10 = t[83], d10 = t[84], e10 = t[85], f10 = t[86];
        long s11 = t[88], a11 = t[89], b11 = t[90], c11 = t[91], d11 = t[92], e11 = t[93], f11 = t[94];
        long s12 = t[96], a12 = t[97], b12 = t[98], c12 = t[99], d12 = t[100], e12 = t[101], f12 = t[102];
        long s13 = t[104], a13 = t[105], b13 = t[106], c13 = t[107], d13 = t[108], e13 = t[109], f13 = t[110];
        long s14 = t[112], a14 = t[113], b14 = t[114], c14 = t[115], d14 = t[116], e14 = t[117], f14 = t[118];
        long s15 = t[120], a15 = t[121], b15 = t[122], c15 = t[123], d15 = t[124], e15 = t[125], f15 = t[126];
        long s16 = t[128], a16 = t[129], b16 = t[130], c16 = t[131], d16 = t[132], e16 = t[133], f16 = t[134];
        long s17 = t[136], a17 = t[137], b17 = t[138], c17 = t[139], d17 = t[140], e17 = t[141], f17 = t[142];
        long s18 = t[144], a18 = t[145], b18 = t[146], c18 = t[147], d18 = t[148], e18 = t[149], f18 = t[150];
        long s19 = t[152], a19 = t[153], b19 = t[154], c19 = t[155], d19 = t[156], e19 = t[157], f19 = t[158];
        long s20 = t[160], a20 = t[161], b20 = t[162], c20 = t[163], d20 = t[164], e20 = t[165], f20 = t[166];
        long s21 = t[168], a21 = t[169], b21 = t[170], c21 = t[171], d21 = t[172], e21 = t[173], f21 = t[174];
        long s22 = t[176], a22 = t[177], b22 = t[178], c22 = t[179], d22 = t[180], e22 = t[181], f22 = t[182];
        long s23 = t[184], a23 = t[185], b23 = t[186], c23 = t[187], d23 = t[188], e23 = t[189], f23 = t[190];
        long s24 = t[192], a24 = t[193], b24 = t[194], c24 = t[195], d24 = t[196], e24 = t[197], f24 = t[198];
        long s25 = t[200], a25 = t[201], b25 = t[202], c25 = t[203], d25 = t[204], e25 = t[205], f25 = t[206];
        long s26 = t[208], a26 = t[209], b26 = t[210], c26 = t[211], d26 = t[212], e26 = t[213], f26 = t[214];
        long s27 = t[216], a27 = t[217], b27 = t[218], c27 = t[219], d27 = t[220], e27 = t[221], f27 = t[222];
        long s28 = t[224], a28 = t[225], b28 = t[226], c28 = t[227], d28 = t[228], e28 = t[229], f28 = t[230];
        long s29 = t[232], a29 = t[233], b29 = t[234], c29 = t[235], d29 = t[236], e29 = t[237], f29 = t[238];
        long s30 = t[240], a30 = t[241], b30 = t[242], c30 = t[243], d30 = t[244], e30 = t[245], f30 = t[246];
        long s31 = t[248], a31 = t[249], b31 = t[250], c31 = t[251], d31 = t[252], e31 = t[253], f31 = t[254];
        // spotless:on
        long errno = (long) ERRNO_LOCATION.invokeExact();
        long pid = (long) SYSCALL.invokeExact(cloneNumber, cloneFlags, 0L, 0L, 0L, 0L, 0L);
        if (pid != 0) {
            if (pid < 0) {
                // The parent, and clone failed: the same two-part record a failed slot writes.
                long ignored = (long)
                        SYSCALL.invokeExact(writeNumber, reportFd, table + ChildProgram.CLONE_RECORD, 4L, 0L, 0L, 0L);
                ignored = (long) SYSCALL.invokeExact(writeNumber, reportFd, errno, 4L, 0L, 0L, 0L);
                return -1;
            }
            return pid;
        }
        // The child. A result below 0 is a failure (syscall() returns -1 and sets errno); slot 1
        // reads one byte from the go pipe, and end of file (0) means the parent is gone.
        long failed;
        // spotless:off
        steps: {
            if ((long) SYSCALL.invokeExact(s0, a0, b0, c0, d0, e0, f0) < 0) { failed = 0; break steps; }
            if ((long) SYSCALL.invokeExact(s1, a1, b1, c1, d1, e1, f1) < 1) { failed = 1; break steps; }
            if ((long) SYSCALL.invokeExact(s2, a2, b2, c2, d2, e2, f2) < 0) { failed = 2; break steps; }
            if ((long) SYSCALL.invokeExact(s3, a3, b3, c3, d3, e3, f3) < 0) { failed = 3; break steps; }
            if ((long) SYSCALL.invokeExact(s4, a4, b4, c4, d4, e4, f4) < 0) { failed = 4; break steps; }
            if ((long) SYSCALL.invokeExact(s5, a5, b5, c5, d5, e5, f5) < 0) { failed = 5; break steps; }
            if ((long) SYSCALL.invokeExact(s6, a6, b6, c6, d6, e6, f6) < 0) { failed = 6; break steps; }
            if ((long) SYSCALL.invokeExact(s7, a7, b7, c7, d7, e7, f7) < 0) { failed = 7; break steps; }
            if ((long) SYSCALL.invokeExact(s8, a8, b8, c8, d8, e8, f8) < 0) { failed = 8; break steps; }
            if ((long) SYSCALL.invokeExact(s9, a9, b9, c9, d9, e9, f9) < 0) { failed = 9; break steps; }
            if ((long) SYSCALL.invokeExact(s10, a10, b10, c10, d10, e10, f10) < 0) { failed = 10; break steps; }
            if ((long) SYSCALL.invokeExact(s11, a11, b11, c11, d11, e11, f11) < 0) { failed = 11; break steps; }
            if ((long) SYSCALL.invokeExact(s12, a12, b12, c12, d12, e12, f12) < 0) { failed = 12; break steps; }
            if ((long) SYSCALL.invokeExact(s13, a13, b13, c13, d13, e13, f13) < 0) { failed = 13; break steps; }
            if ((long) SYSCALL.invokeExact(s14, a14, b14, c14, d14, e14, f14) < 0) { failed = 14; break steps; }
            if ((long) SYSCALL.invokeExact(s15, a15, b15, c15, d15, e15, f15) < 0) { failed = 15; break steps; }
            if ((long) SYSCALL.invokeExact(s16, a16, b16, c16, d16, e16, f16) < 0) { failed = 16; break steps; }
            if ((long) SYSCALL.invokeExact(s17, a17, b17, c17, d17, e17, f17) < 0) { failed = 17; break steps; }
            if ((long) SYSCALL.invokeExact(s18, a18, b18, c18, d18, e18, f18) < 0) { failed = 18; break steps; }
            if ((long) SYSCALL.invokeExact(s19, a19, b19, c19, d19, e19, f19) < 0) { failed = 19; break steps; }
            if ((long) SYSCALL.invokeExact(s20, a20, b20, c20, d20, e20, f20) < 0) { failed = 20; break steps; }
            if ((long) SYSCALL.invokeExact(s21, a21, b21, c21, d21, e21, f21) < 0) { failed = 21; break steps; }
            if ((long) SYSCALL.invokeExact(s22, a22, b22, c22, d22, e22, f22) < 0) { failed = 22; break steps; }
            if ((long) SYSCALL.invokeExact(s23, a23, b23, c23, d23, e23, f23) < 0) { failed = 23; break steps; }
            if ((long) SYSCALL.invokeExact(s24, a24, b24, c24, d24, e24, f24) < 0) { failed = 24; break steps; }
            if ((long) SYSCALL.invokeExact(s25, a25, b25, c25, d25, e25, f25) < 0) { failed = 25; break steps; }
            if ((long) SYSCALL.invokeExact(s26, a26, b26, c26, d26, e26, f26) < 0) { failed = 26; break steps; }
            if ((long) SYSCALL.invokeExact(s27, a27, b27, c27, d27, e27, f27) < 0) { failed = 27; break steps; }
            if ((long) SYSCALL.invokeExact(s28, a28, b28, c28, d28, e28, f28) < 0) { failed = 28; break steps; }
            if ((long) SYSCALL.invokeExact(s29, a29, b29, c29, d29, e29, f29) < 0) { failed = 29; break steps; }
            if ((long) SYSCALL.invokeExact(s30, a30, b30, c30, d30, e30, f30) < 0) { failed = 30; break steps; }
            if ((long) SYSCALL.invokeExact(s31, a31, b31, c31, d31, e31, f31) < 0) { failed = 31; break steps; }
            // A program that does not exec ends here, as does every successful dry run.
            long ignored = (long) SYSCALL.invokeExact(exitNumber, 0L, 0L, 0L, 0L, 0L, 0L);
            return 0;
        }
        // spotless:on
        // Slot `failed` failed: write its index from the table's record, then errno itself.
        long ignored = (long) SYSCALL.invokeExact(
                writeNumber,
                reportFd,
                table + failed * ChildProgram.ROW_BYTES + ChildProgram.RECORD_OFFSET,
                4L,
                0L,
                0L,
                0L);
        ignored = (long) SYSCALL.invokeExact(writeNumber, reportFd, errno, 4L, 0L, 0L, 0L);
        ignored = (long) SYSCALL.invokeExact(exitNumber, (long) STEP_FAILED_EXIT, 0L, 0L, 0L, 0L, 0L);
        return -2 - failed;
    }
}
