package dev.canal.runtime.spawn.clone;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.runtime.testing.RequiresRoot;
import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Test;

/**
 * The clone engine's promise under the conditions that break naive clone-from-a-JVM code: other
 * threads allocating and forcing garbage collections (so safepoints are requested all the time)
 * while children are cloned. A child whose Java code touched the JVM would hang at the first
 * safepoint poll; the watchdog would then retry, and only a child stuck on every attempt fails
 * the spawn. The numbers are printed for the report; the test asserts none got stuck.
 */
@RequiresRoot
class CloneStressTest {

    private static final int SPAWNS = Integer.getInteger("canal.stress.spawns", 2_000);
    /**
     * Threads spawning at once. Clones are serialised by the spawner, but one thread's child can
     * exec and be reaped while the next is cloned; with four the 2,000 spawns fit in about three
     * minutes on a 2-core VM whose fork(2) alone takes 12 ms for a JVM.
     */
    private static final int SPAWNERS = Integer.getInteger("canal.stress.spawners", 4);

    private static final int GARBAGE_THREADS = 2;
    /**
     * The pause between the end of one System.gc() and the next, whichever garbage thread calls
     * it. Each is a full, stop-the-world collection, so the JVM is in a safepoint most of the
     * time and a new one is requested every few milliseconds: most clones happen while one is
     * pending, which is when a child that touched the JVM would hang.
     */
    private static final long GC_GAP_NANOS = Long.getLong("canal.stress.gcGapMillis", 5) * 1_000_000;

    @Test
    void noChildGetsStuckWhileOtherThreadsAllocateAndCollect() throws Exception {
        CloneSpawner.warmUp();
        Tally tally = spawnUnderPressure(SPAWNERS, SPAWNS / SPAWNERS);
        assertEquals(0, tally.stuck.sum(), "spawns whose every attempt was stuck");
        assertEquals(0, tally.failed.sum(), "children that did not exit 0");
    }

    private record Tally(LongAdder stuck, LongAdder failed) {}

    private static Tally spawnUnderPressure(int spawners, int spawnsEach) throws Exception {
        var stop = new AtomicBoolean();
        var collections = new LongAdder();
        var collectionNanos = new LongAdder();
        var nextCollection = new AtomicLong(System.nanoTime());
        var tally = new Tally(new LongAdder(), new LongAdder());
        List<Thread> garbage = new ArrayList<>();
        for (int i = 0; i < GARBAGE_THREADS; i++) {
            garbage.add(Thread.ofPlatform()
                    .daemon()
                    .name("canal-garbage-" + i)
                    .start(() -> churn(stop, collections, collectionNanos, nextCollection)));
        }
        long retriesBefore = CloneSpawner.retries();
        long start = System.nanoTime();
        try (var arena = Arena.ofShared()) {
            ChildProgram program = ChildProgram.builder(arena)
                    .execve("/bin/true", List.of("true"), List.of())
                    .build();
            List<Thread> threads = new ArrayList<>();
            for (int s = 0; s < spawners; s++) {
                threads.add(Thread.ofPlatform().name("canal-spawner-" + s).start(() -> {
                    for (int i = 0; i < spawnsEach; i++) {
                        try (CloneChild child =
                                CloneSpawner.spawn(CloneSpawnerTest.NAMESPACES, program, CloneSpawnerTest.WATCHDOG)) {
                            if (child.waitFor().shellCode() != 0) {
                                tally.failed.increment();
                            }
                        } catch (ChildStuckException e) {
                            tally.stuck.increment();
                        }
                    }
                }));
            }
            for (Thread thread : threads) {
                thread.join();
            }
        } finally {
            stop.set(true);
            for (Thread thread : garbage) {
                thread.join();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        int spawns = spawners * spawnsEach;
        System.out.printf(
                "clone stress: %d spawns of /bin/true (pid+mount+uts+ipc namespaces) from %d thread(s) in %.1f s, "
                        + "%.1f spawns/s, %d System.gc() calls (%.0f ms each) by %d garbage threads, %d watchdog retries, %d stuck, %d failed%n",
                spawns,
                spawners,
                seconds,
                spawns / seconds,
                collections.sum(),
                collectionNanos.sum() / 1e6 / Math.max(1, collections.sum()),
                GARBAGE_THREADS,
                CloneSpawner.retries() - retriesBefore,
                tally.stuck.sum(),
                tally.failed.sum());
        return tally;
    }

    /**
     * Allocates short- and medium-lived garbage in bursts and, taking turns with the other
     * garbage threads, forces a full collection every few milliseconds. The millisecond of sleep
     * per burst leaves the two cores some time for the spawns themselves.
     */
    private static void churn(
            AtomicBoolean stop, LongAdder collections, LongAdder collectionNanos, AtomicLong nextCollection) {
        var random = new SplittableRandom();
        Object[] survivors = new Object[1024];
        try {
            while (!stop.get()) {
                for (int i = 0; i < 256; i++) {
                    survivors[random.nextInt(survivors.length)] = new byte[random.nextInt(16, 8_192)];
                }
                long due = nextCollection.get();
                if (GC_GAP_NANOS >= 0
                        && System.nanoTime() >= due
                        && nextCollection.compareAndSet(due, Long.MAX_VALUE)) {
                    long start = System.nanoTime();
                    System.gc();
                    collectionNanos.add(System.nanoTime() - start);
                    collections.increment();
                    nextCollection.set(System.nanoTime() + GC_GAP_NANOS);
                }
                Thread.sleep(1);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
