package dev.canal.runtime.spawn.clone;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Processes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.time.Duration;
import javax.management.ObjectName;

/**
 * Dry runs of {@link ChildPath#cloneAndRun} and {@link ChildPath#runBlock} in the parent, until
 * C2 has compiled both with a profile in which every branch was taken.
 *
 * <p>A dry run swaps harmless system calls in for the dangerous ones. kill(2) of this process
 * with signal 0, which only checks that the process exists and returns 0 for any user, stands in
 * for clone, so the method takes its child branch without cloning (getuid would do only for
 * root). getpid(2), which cannot fail, stands in for every slot, for write and for exit_group.
 * The program is {@value #BLOCKS} blocks long, so runBlock calls itself as it does in a child.
 * The runs cycle through every branch: slot k fails (a number no kernel knows, so ENOSYS) for
 * each k, which is a failure at each of the {@value ChildProgram#BLOCK} positions of a block, in
 * the first block and in later ones; all slots succeed and the end of the program is reached; the
 * clone stand-in returns a pid (the parent's branch) or fails (the parent's clone-failure
 * branch). C2 compiles a branch it never saw taken as an uncommon trap, and a trap in a real
 * child would deoptimize into a VM that is not there.
 *
 * <p>Java has no API to ask whether a method is compiled, but HotSpot's diagnostic command
 * {@code Compiler.codelist} (jcmd's, reachable in-process through the platform MBean server)
 * lists every compiled method with its compile id, tier and state. After {@value #MIN_RUNS} runs
 * the warm-up asks it after each batch of {@value #BATCH} and stops once the same C2 (tier 4)
 * code of both methods is in use before and after a batch (C2 may also have inlined runBlock
 * into cloneAndRun or into itself, but the child calls the standalone method for later blocks);
 * where the JVM cannot say, it runs a fixed {@value #BLIND_RUNS}.
 *
 * <p>Two more duties, from a child seen hung in the VM's call linking after the first real spawn
 * had deoptimized the compiled method and C2 had compiled it again: every MemorySegment
 * implementation is loaded before the first dry run ({@link #loadEveryMemorySegmentKind()}),
 * and dry runs through every block precede each real clone ({@link #touch()}).
 */
final class WarmUp {

    /** How a warm-up went, for logs and the tests. */
    record Result(Duration took, int runs, boolean confirmed) {}

    /**
     * The compile ids of the C2 code in use for the two methods of the child path, each
     * NOT_COMPILED, or UNKNOWN when the JVM cannot say.
     */
    record Compiled(int cloneAndRun, int runBlock) {

        boolean bothByC2() {
            return cloneAndRun >= 0 && runBlock >= 0;
        }

        boolean unknown() {
            return cloneAndRun == UNKNOWN || runBlock == UNKNOWN;
        }
    }

    static final int BATCH = 1_000;
    /** C2's default thresholds are 5,000 invocations and 15,000 invocations plus branches. */
    static final int MIN_RUNS = 4_000;
    /** Without a way to confirm: on a 2-core VM C2 had the method installed after ~17,500. */
    static final int BLIND_RUNS = 40_000;
    /** Give up confirming here: the watchdog still catches a child that hangs. */
    static final int MAX_RUNS = 200_000;

    /** Blocks in the dry runs' program: enough for runBlock to call itself past any inlining C2 does. */
    static final int BLOCKS = 4;

    static final int SLOTS = BLOCKS * ChildProgram.BLOCK;

    private static final long UNKNOWN_SYSCALL = 100_000;
    private static final String CLONE_AND_RUN = ChildPath.class.getName() + ".cloneAndRun(";
    private static final String RUN_BLOCK = ChildPath.class.getName() + ".runBlock(";
    private static final int C2_TIER = 4;
    private static final int IN_USE = 0;
    static final int NOT_COMPILED = -1;
    static final int UNKNOWN = -2;

    private static final long[] HARMLESS = harmless();
    private static final Object LOCK = new Object();
    private static volatile Result done;

    private WarmUp() {}

    /** Warms the child path once per JVM; later calls return the first result at once. */
    static Result ensure() {
        Result result = done;
        if (result != null) {
            return result;
        }
        synchronized (LOCK) {
            if (done == null) {
                loadEveryMemorySegmentKind();
                done = warm(MIN_RUNS);
            }
            return done;
        }
    }

    /**
     * Warms again after a child got stuck: the child path may have been deoptimized (by an agent,
     * a class redefinition, a dependency this class did not foresee) and must be compiled anew
     * before the next attempt.
     */
    static Result again() {
        synchronized (LOCK) {
            return warm(BATCH);
        }
    }

    /**
     * Dry runs right before a real clone: one through every slot of {@value #BLOCKS} blocks to
     * the end, and three through the failure path, in the first block, the second and the last,
     * so each call site the child will use has been called by the current compiled code in this
     * process: cloneAndRun's call of runBlock, runBlock's of itself (at every depth C2 may have
     * inlined it to), every native call. C2 code links a call on its first use, through the VM,
     * which a child must never need; should the code have been recompiled since the warm-up,
     * its call sites are linked here, in the parent.
     */
    static void touch() {
        run(SLOTS, 1);
        run(0, 1);
        run(ChildProgram.BLOCK, 1);
        run(SLOTS - 1, 1);
    }

    private static Result warm(int minRuns) {
        long start = System.nanoTime();
        int runs = 0;
        boolean confirmed = false;
        boolean canAsk = true;
        Compiled seen = null;
        while (runs < MAX_RUNS && (canAsk || runs < BLIND_RUNS)) {
            run(runs, BATCH);
            runs += BATCH;
            if (runs >= minRuns && canAsk) {
                Compiled compiled = c2Compiled();
                canAsk = !compiled.unknown();
                // The same compiled code before and after a whole batch: installed, and every
                // call site in it has been through (C2 code links a call on its first use).
                confirmed = compiled.bothByC2() && compiled.equals(seen);
                if (confirmed) {
                    break;
                }
                seen = compiled;
            }
        }
        return new Result(Duration.ofNanos(System.nanoTime() - start), runs, confirmed);
    }

    /**
     * Loads every implementation class of MemorySegment and of its sessions before C2 compiles
     * the child path. The downcall code C2 inlines calls methods of those classes, and while only
     * one implementation is loaded C2 binds to it directly, under a class-hierarchy dependency.
     * The first heap segment created anywhere in the JVM later (a {@code toArray}, a
     * {@code MemorySegment.ofArray}) would break that dependency and deoptimize the child path:
     * the next child would run in the interpreter, and under GC pressure hang. Measured: the
     * first real spawn did exactly that until these were loaded first.
     */
    private static void loadEveryMemorySegmentKind() {
        MemorySegment.ofArray(new byte[1]);
        MemorySegment.ofArray(new char[1]);
        MemorySegment.ofArray(new short[1]);
        MemorySegment.ofArray(new int[1]);
        MemorySegment.ofArray(new long[1]);
        MemorySegment.ofArray(new float[1]);
        MemorySegment.ofArray(new double[1]);
        MemorySegment.ofBuffer(ByteBuffer.allocateDirect(1));
        try (var confined = Arena.ofConfined();
                var shared = Arena.ofShared()) {
            confined.allocate(1);
            shared.allocate(1);
            Arena.ofAuto().allocate(1);
        }
        try {
            // File mappings are a subclass of native segments; loading the class is enough.
            Class.forName("jdk.internal.foreign.MappedMemorySegmentImpl", false, null);
        } catch (ClassNotFoundException renamed) {
            // Another JDK's internals: nothing to preload under this name.
        }
    }

    /**
     * The C2 code of both methods in use, from HotSpot's {@code Compiler.codelist} (lines of
     * "id tier state method [addresses]").
     */
    static Compiled c2Compiled() {
        try {
            String list = (String) ManagementFactory.getPlatformMBeanServer()
                    .invoke(
                            new ObjectName("com.sun.management:type=DiagnosticCommand"),
                            "compilerCodelist",
                            new Object[] {null},
                            new String[] {String[].class.getName()});
            return new Compiled(c2CompileId(list, CLONE_AND_RUN), c2CompileId(list, RUN_BLOCK));
        } catch (Exception | LinkageError unavailable) {
            return new Compiled(UNKNOWN, UNKNOWN);
        }
    }

    /** The compile id of the C2 code in use for {@code method} in a codelist, or NOT_COMPILED. */
    private static int c2CompileId(String codelist, String method) {
        return codelist.lines()
                .filter(line -> line.contains(method))
                .map(line -> line.split(" "))
                .filter(f -> f.length > 3 && Integer.parseInt(f[1]) == C2_TIER && Integer.parseInt(f[2]) == IN_USE)
                .mapToInt(f -> Integer.parseInt(f[0]))
                .findFirst()
                .orElse(NOT_COMPILED);
    }

    /**
     * {@code runs} dry runs cycling through every branch, from position {@code first} of the
     * cycle; each checks the method's answer, so a slot the unrolled code skips or misnumbers is
     * caught here rather than in a child.
     */
    static void run(int first, int runs) {
        long getpid = linux_h.SYS_getpid();
        long self = Processes.pid();
        int cycle = 2 * SLOTS + 8;
        try {
            for (int i = first; i < first + runs; i++) {
                int branch = i % cycle;
                long[] rows = HARMLESS;
                long cloneNumber = linux_h.SYS_kill();
                long expected = 0;
                if (branch < SLOTS) {
                    rows = HARMLESS.clone();
                    rows[branch * ChildProgram.ROW_LONGS] = UNKNOWN_SYSCALL;
                    expected = -2 - branch;
                } else if (branch >= 2 * SLOTS + 6) {
                    cloneNumber = UNKNOWN_SYSCALL;
                    expected = -1;
                } else if (branch >= 2 * SLOTS) {
                    cloneNumber = getpid;
                    expected = self;
                }
                // The addresses only feed the stand-in for write, which ignores them.
                long result = ChildPath.cloneAndRun(cloneNumber, self, getpid, getpid, -1, 0, 0, rows);
                if (result != expected) {
                    throw new IllegalStateException(
                            "clone child path dry run " + i + ": expected " + expected + ", got " + result);
                }
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("clone child path dry run failed", t);
        }
    }

    /** Every slot getpid(2) with no arguments, success at 0 or more. */
    private static long[] harmless() {
        long[] rows = new long[SLOTS * ChildProgram.ROW_LONGS];
        for (int slot = 0; slot < SLOTS; slot++) {
            rows[slot * ChildProgram.ROW_LONGS] = linux_h.SYS_getpid();
        }
        return rows;
    }
}
