package dev.canal.runtime.spawn.clone;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;

/**
 * The only Java code that runs in a cloned child: {@link #cloneAndRun}, which clones this
 * process, and {@link #runBlock}, which in the child executes a {@link ChildProgram} one block
 * of {@value ChildProgram#BLOCK} slots at a time, unrolled, calling itself for the next block,
 * and ends in execve(2) or exit_group(2).
 *
 * <p>Everything here is shaped by what the JVM needs and the child does not have; the comment at
 * the top of {@link #cloneAndRun} gives the rules and why each exists. {@link WarmUp} runs both
 * methods in the parent until C2 has compiled them; the JVM flags they need are on
 * {@link CloneSpawner}. The block's body is written one slot a line, so that what runs is what
 * you read.
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
     * @param records     the address of the program's other records (for the clone failure's)
     * @param t           the table's rows of {@value ChildProgram#ROW_LONGS} longs, a whole
     *                    number of blocks, copied into the Java heap
     * @return in the parent: the child's pid, or -1 when clone failed (a record on the report pipe
     *         says why). Only a dry run returns in the child: 0 when every slot succeeded,
     *         {@code -2 - k} when slot {@code k} failed.
     */
    static long cloneAndRun(
            long cloneNumber,
            long cloneFlags,
            long writeNumber,
            long exitNumber,
            long reportFd,
            long table,
            long records,
            long[] t)
            throws Throwable {
        /*
         * Why these two methods look the way they do. clone(2) without CLONE_VM copies the
         * process, but only the calling thread: the GC, the JIT compilers and the VM thread stay
         * behind in the parent, along with any lock they held. Until execve(2) replaces the JVM
         * image (or exit_group(2) ends it) the child must never need them:
         *
         * 1. C2-compiled code only, no loop, nothing left un-inlined but the native calls and
         *    runBlock's calls to itself. C2 polls for safepoints only at loop back-edges and
         *    returns, not at calls; if a safepoint was being requested at the instant of the
         *    clone, the child's first poll would wait forever for a VM thread that does not
         *    exist. So the program is not a loop but a chain of calls, one per block, each
         *    block unrolled; the interpreter and C1 code poll far more often. Both methods must
         *    be compiled before the first real spawn: WarmUp runs them in the parent.
         * 2. No allocation: a TLAB refill or a GC needs the heap lock and the GC threads.
         * 3. Nothing to resolve, load or link: static final handles only, linked and inlined
         *    during warm-up, down to one native call each.
         * 4. Linker.Option.critical downcalls: an ordinary downcall moves the thread to the native
         *    state and back, and checks for a pending safepoint on the way back.
         * 5. Only longs and one long[]: pointers are raw addresses prepared by the parent, no
         *    MemorySegment is touched (no scope checks, no bounds-check exceptions, no
         *    allocation). The child reads the rows from its copy-on-write snapshot of the heap,
         *    where nothing moves (no GC runs in it) and a primitive array load has no GC barrier.
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
         *    this path through several blocks in the parent right before each clone
         *    (WarmUp.touch), so cloneAndRun's call to runBlock and runBlock's to itself are
         *    linked, however deep C2 inlined them.
         * 11. No class-hierarchy bet that later class loading can lose: while only one
         *    MemorySegment implementation is loaded, C2 binds to it, and the first heap segment
         *    made anywhere later deoptimized this method. WarmUp loads them all first.
         * 12. Entering compiled code passes its nmethod entry barrier, which every full or
         *    concurrent-start collection arms; the first entry after that disarms it in a short
         *    call into the VM (for Serial, Parallel and G1: mark the method's constants live,
         *    store the new guard; no lock, no allocation outside G1's concurrent marking, no
         *    safepoint). The child enters runBlock after the clone, so that call happens in the
         *    child when a collection ran between the dry runs and the clone. Measured harmless:
         *    with a full collection forced right before every clone (gdb shows the child in
         *    BarrierSetNMethod::nmethod_stub_entry_barrier), 300 spawns each with G1, Serial and
         *    Parallel, none stuck. ZGC and Shenandoah take a per-method lock there; the
         *    watchdog is the answer if a child ever waits on it.
         * The report pipe is close-on-exec (execve(2): such descriptors are closed on a
         * successful exec), so the parent reads end of file without a record when execve
         * worked, and a record [slot, errno] when a slot failed.
         */
        long errno = (long) ERRNO_LOCATION.invokeExact();
        long pid = (long) SYSCALL.invokeExact(cloneNumber, cloneFlags, 0L, 0L, 0L, 0L, 0L);
        if (pid != 0) {
            if (pid < 0) {
                // The parent, and clone failed: the same two-part record a failed slot writes.
                long ignored = (long)
                        SYSCALL.invokeExact(writeNumber, reportFd, records + ChildProgram.CLONE_RECORD, 4L, 0L, 0L, 0L);
                ignored = (long) SYSCALL.invokeExact(writeNumber, reportFd, errno, 4L, 0L, 0L, 0L);
                return -1;
            }
            return pid;
        }
        return runBlock(t, 0, writeNumber, exitNumber, reportFd, table, errno);
    }

    /**
     * The child: slots {@code first} to {@code first + 7}, each a system call whose result below
     * the row's least success is a failure; then the next block, by a call (a call does not
     * poll; see rule 1 above). Past the last block, exit_group(2): a program that does not exec
     * ends there, as does every successful dry run.
     *
     * @param errno the address of this thread's errno, asked for before the clone
     * @return only in a dry run: 0 when every slot succeeded, {@code -2 - k} when slot {@code k}
     *         failed
     */
    private static long runBlock(
            long[] t, int first, long writeNumber, long exitNumber, long reportFd, long table, long errno)
            throws Throwable {
        int r = first * ChildProgram.ROW_LONGS;
        if (r == t.length) {
            long ignored = (long) SYSCALL.invokeExact(exitNumber, 0L, 0L, 0L, 0L, 0L, 0L);
            return 0;
        }
        // Slot k of the block is row r + 8k: its number, six arguments and, in the high half of
        // its last long, the least result that counts as success.
        int failed;
        // spotless:off (one slot a line)
        steps: {
            if ((long) SYSCALL.invokeExact(t[r], t[r + 1], t[r + 2], t[r + 3], t[r + 4], t[r + 5], t[r + 6]) < t[r + 7] >> 32) { failed = 0; break steps; }
            if ((long) SYSCALL.invokeExact(t[r + 8], t[r + 9], t[r + 10], t[r + 11], t[r + 12], t[r + 13], t[r + 14]) < t[r + 15] >> 32) { failed = 1; break steps; }
            if ((long) SYSCALL.invokeExact(t[r + 16], t[r + 17], t[r + 18], t[r + 19], t[r + 20], t[r + 21], t[r + 22]) < t[r + 23] >> 32) { failed = 2; break steps; }
            if ((long) SYSCALL.invokeExact(t[r + 24], t[r + 25], t[r + 26], t[r + 27], t[r + 28], t[r + 29], t[r + 30]) < t[r + 31] >> 32) { failed = 3; break steps; }
            if ((long) SYSCALL.invokeExact(t[r + 32], t[r + 33], t[r + 34], t[r + 35], t[r + 36], t[r + 37], t[r + 38]) < t[r + 39] >> 32) { failed = 4; break steps; }
            if ((long) SYSCALL.invokeExact(t[r + 40], t[r + 41], t[r + 42], t[r + 43], t[r + 44], t[r + 45], t[r + 46]) < t[r + 47] >> 32) { failed = 5; break steps; }
            if ((long) SYSCALL.invokeExact(t[r + 48], t[r + 49], t[r + 50], t[r + 51], t[r + 52], t[r + 53], t[r + 54]) < t[r + 55] >> 32) { failed = 6; break steps; }
            if ((long) SYSCALL.invokeExact(t[r + 56], t[r + 57], t[r + 58], t[r + 59], t[r + 60], t[r + 61], t[r + 62]) < t[r + 63] >> 32) { failed = 7; break steps; }
            return runBlock(t, first + ChildProgram.BLOCK, writeNumber, exitNumber, reportFd, table, errno);
        }
        // spotless:on
        // Slot first + failed failed: write its index from the table's record, then errno itself.
        long slot = first + failed;
        long ignored = (long) SYSCALL.invokeExact(
                writeNumber,
                reportFd,
                table + slot * ChildProgram.ROW_BYTES + ChildProgram.RECORD_OFFSET,
                4L,
                0L,
                0L,
                0L);
        ignored = (long) SYSCALL.invokeExact(writeNumber, reportFd, errno, 4L, 0L, 0L, 0L);
        ignored = (long) SYSCALL.invokeExact(exitNumber, (long) STEP_FAILED_EXIT, 0L, 0L, 0L, 0L, 0L);
        return -2 - slot;
    }
}
