package dev.canal.runtime.cgroup;

import static dev.canal.runtime.cgroup.TestCgroups.destroyQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.oci.Resources;
import dev.canal.runtime.testing.LoopDevice;
import dev.canal.runtime.testing.ResourceMeasurements;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Behaviour checks that hold on cgroup v1 and v2 alike, each on a fresh cgroup with a busybox
 * shell held until it has joined: run by V1CgroupTest on this machine and by CgroupV2VmChecks
 * inside the cgroup v2 VM.
 */
final class CgroupChecks {

    private static final long MIB = 1024 * 1024;

    private CgroupChecks() {}

    /** What a check does once its shell runs inside the cgroup. */
    interface Body {
        void run(Cgroup cgroup, HeldShell shell) throws Exception;
    }

    /**
     * Creates a cgroup with {@code resources}, moves a shell running {@code script} into it,
     * lets the script run and then {@code body}; the cgroup and the shell are removed even when
     * the body fails.
     */
    static void inCgroup(Function<Resources, Cgroup> create, Resources resources, String script, Body body)
            throws Exception {
        Cgroup cgroup = null;
        try (var shell = new HeldShell(script)) {
            cgroup = create.apply(resources);
            cgroup.addProcess(shell.pid());
            shell.release();
            body.run(cgroup, shell);
        } finally {
            destroyQuietly(cgroup);
        }
    }

    /** Cgroups made by {@link Cgroups#create} under unique /canal/test-* paths. */
    static Function<Resources, Cgroup> fresh(CgroupLayout layout) {
        return resources -> Cgroups.create(layout, TestCgroups.uniquePath(), "unused", resources);
    }

    static void aProcessOverTheMemoryLimitIsOomKilledAndCounted(CgroupLayout layout) throws Exception {
        // No swap either: memory plus swap is the same 32 MiB.
        inCgroup(
                fresh(layout),
                TestCgroups.memory(ResourceMeasurements.MEMORY_LIMIT, ResourceMeasurements.MEMORY_LIMIT),
                ResourceMeasurements.allocate(ResourceMeasurements.OVER_THE_LIMIT) + "; echo dd-status=$?",
                (cgroup, shell) -> {
                    assertTrue(cgroup.awaitOomKill(0, Duration.ofSeconds(20)), "no OOM kill was counted");
                    shell.waitFor(10);
                    assertTrue(shell.output().contains("dd-status=137"), "dd was not SIGKILLed: " + shell.output());
                    CgroupStats.Memory memory = cgroup.stats().memory();
                    assertEquals(32 * MIB, memory.usage().limit());
                    assertTrue(
                            memory.usage().max() > 30 * MIB,
                            "the peak should have reached the limit: " + memory.usage());
                });
    }

    /**
     * The first of the seed's examples: two busy loops with 1024 and 256 CPU shares on one CPU
     * share it as the weights written for them say (4:1 on v1, 100:35 on v2).
     */
    static void cpuSharesSplitOneCpuByWeight(CgroupLayout layout) throws Exception {
        inCgroup(
                fresh(layout),
                TestCgroups.shares(1024, "0"),
                ResourceMeasurements.BUSY_LOOP,
                (heavy, heavyLoop) -> inCgroup(
                        fresh(layout),
                        TestCgroups.shares(256, "0"),
                        ResourceMeasurements.BUSY_LOOP,
                        (light, lightLoop) -> {
                            long heavyWeight = ResourceMeasurements.cpuWeight(layout, heavy.path());
                            long lightWeight = ResourceMeasurements.cpuWeight(layout, light.path());
                            assertEquals(layout.limitsOnV2() ? 100 : 1024, heavyWeight);
                            assertEquals(layout.limitsOnV2() ? 35 : 256, lightWeight);
                            ResourceMeasurements.assertSplitByWeight(
                                    heavyWeight,
                                    () -> heavy.stats().cpu().usage().total(),
                                    lightWeight,
                                    () -> light.stats().cpu().usage().total());
                        }));
    }

    /** The second, below its limit: 16 MiB under a 32 MiB limit is allocated and freed, nothing killed. */
    static void aProcessUnderTheMemoryLimitIsNotOomKilled(CgroupLayout layout) throws Exception {
        inCgroup(
                fresh(layout),
                TestCgroups.memory(ResourceMeasurements.MEMORY_LIMIT, ResourceMeasurements.MEMORY_LIMIT),
                ResourceMeasurements.allocate(ResourceMeasurements.UNDER_THE_LIMIT) + "; echo dd-status=$?",
                (cgroup, shell) -> {
                    assertEquals(0, shell.waitFor(20));
                    assertTrue(shell.output().contains("dd-status=0"), shell.output());
                    assertEquals(0, cgroup.oomKillCount());
                    assertTrue(
                            cgroup.stats().memory().usage().max() >= ResourceMeasurements.UNDER_THE_LIMIT,
                            "the peak should count the 16 MiB: "
                                    + cgroup.stats().memory().usage());
                });
    }

    /**
     * The third: O_DIRECT reads from a loop device at 1 MiB/s under a read bps throttle
     * (blkio.throttle.read_bps_device, io.max rbps), against the same reads unthrottled.
     */
    static void aReadBpsThrottleHoldsDirectReadsToItsRate(CgroupLayout layout) throws Exception {
        try (var loop = new LoopDevice(8 * MIB)) {
            String read = ResourceMeasurements.timedDirectRead(loop.device()) + "; echo read-done";
            String[] outputs = new String[2];
            inCgroup(fresh(layout), TestCgroups.none(), read, (cgroup, shell) -> {
                assertEquals(0, shell.waitFor(20));
                outputs[0] = shell.output();
            });
            var throttle = TestCgroups.readBps(loop.major(), loop.minor(), ResourceMeasurements.READ_BPS);
            inCgroup(fresh(layout), throttle, read, (cgroup, shell) -> {
                assertEquals(0, shell.waitFor(20));
                outputs[1] = shell.output();
                assertTrue(
                        bytesRead(cgroup.stats(), loop) >= 3 * MIB,
                        "the cgroup's counters missed the reads: "
                                + cgroup.stats().blkio());
            });
            ResourceMeasurements.assertThrottledToOneMib(outputs[1], outputs[0]);
        }
    }

    private static long bytesRead(CgroupStats stats, LoopDevice loop) {
        return stats.blkio().ioServiceBytesRecursive().stream()
                .filter(entry -> entry.major() == loop.major()
                        && entry.minor() == loop.minor()
                        && entry.op().equals("Read"))
                .mapToLong(CgroupStats.BlkioEntry::value)
                .sum();
    }

    static void pidsMaxStopsAForkLoop(CgroupLayout layout) throws Exception {
        inCgroup(
                fresh(layout),
                TestCgroups.pids(8),
                "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do sleep 30 & done",
                (cgroup, shell) -> {
                    // busybox sh gives up the loop at the first failed fork.
                    waitForOutput(shell, "can't fork");
                    assertTrue(cgroup.pids().size() <= 8, "more tasks than pids.max=8: " + cgroup.pids());
                    assertTrue(cgroup.pids().size() >= 7, "the 7 sleeps that fitted are gone: " + cgroup.pids());
                    assertEquals(8, cgroup.stats().pids().limit());
                    cgroup.killAll(9);
                    assertEquals(0, cgroup.pids().size());
                });
    }

    static void freezeStopsACounterAndThawResumesIt(CgroupLayout layout) throws Exception {
        // The counter is the file's length: one byte more per loop, read atomically with stat(2).
        Path counter = Files.createTempFile("canal-freeze", ".count");
        try {
            inCgroup(
                    fresh(layout),
                    TestCgroups.none(),
                    "while :; do echo -n x >> " + counter + "; done",
                    (cgroup, shell) -> {
                        awaitGrowth(counter, 0);
                        cgroup.freeze();
                        assertTrue(cgroup.isFrozen());
                        long frozenAt = Files.size(counter);
                        Thread.sleep(300);
                        assertEquals(frozenAt, Files.size(counter), "the counter moved while frozen");
                        cgroup.thaw();
                        assertFalse(cgroup.isFrozen());
                        awaitGrowth(counter, frozenAt);
                    });
        } finally {
            Files.deleteIfExists(counter);
        }
    }

    static void statsReportMemoryAndCpuInRuncsJsonShape(CgroupLayout layout) throws Exception {
        inCgroup(
                fresh(layout),
                TestCgroups.pids(100),
                "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo done; sleep 30",
                (cgroup, shell) -> {
                    waitForOutput(shell, "done");
                    CgroupStats stats = cgroup.stats();
                    assertTrue(stats.cpu().usage().total() > 0);
                    assertTrue(stats.cpu().usage().user() + stats.cpu().usage().kernel() > 0);
                    assertTrue(stats.memory().usage().usage() > 0);
                    assertEquals(100, stats.pids().limit());
                    JsonNode json = new ObjectMapper().valueToTree(stats);
                    assertTrue(json.at("/cpu/usage/total").asLong() > 0, json.toString());
                    assertTrue(json.at("/cpu/throttling/throttledPeriods").isNumber(), json.toString());
                    assertTrue(json.at("/memory/usage/usage").asLong() > 0, json.toString());
                    assertTrue(json.at("/memory/raw").size() > 10, json.toString());
                    assertTrue(json.at("/pids/current").asLong() >= 1, json.toString());
                    assertTrue(json.at("/blkio/ioServiceBytesRecursive").isArray(), json.toString());
                });
    }

    static void killAllEmptiesTheCgroupIncludingChildren(CgroupLayout layout) throws Exception {
        inCgroup(
                fresh(layout),
                TestCgroups.none(),
                "sleep 60 & sleep 60 & (sleep 60 & wait) & echo forked; wait",
                (cgroup, shell) -> {
                    waitForOutput(shell, "forked");
                    assertTrue(cgroup.pids().size() >= 4, "processes: " + cgroup.pids());
                    cgroup.killAll(9);
                    assertEquals(0, cgroup.pids().size());
                    cgroup.destroy();
                    assertFalse(TestCgroups.existsAnywhere(layout, cgroup.path()));
                });
    }

    static void aDeniedDeviceCannotBeOpened(CgroupLayout layout) throws Exception {
        aDeniedDeviceCannotBeOpened(fresh(layout));
    }

    /** With c 1:3 (/dev/null) denied, opening it fails with EPERM while /dev/zero still works. */
    static void aDeniedDeviceCannotBeOpened(Function<Resources, Cgroup> create) throws Exception {
        inCgroup(
                create,
                TestCgroups.devices(TestCgroups.rule(false, "c", 1L, 3L, "rwm")),
                "head -c1 /dev/zero >/dev/zero && echo zero-ok; head -c1 /dev/null; echo null-status=$?",
                (cgroup, shell) -> {
                    assertEquals(0, shell.waitFor(10));
                    String output = shell.output();
                    assertTrue(output.contains("zero-ok"), output);
                    assertTrue(output.contains("/dev/null: Operation not permitted"), output);
                    assertTrue(output.contains("null-status=1"), output);
                });
    }

    static void waitForOutput(HeldShell shell, String text) throws Exception {
        for (int i = 0; i < 3000 && !shell.output().contains(text); i++) {
            Thread.sleep(10);
        }
        assertTrue(shell.output().contains(text), "never printed " + text + ": " + shell.output());
    }

    private static void awaitGrowth(Path counter, long from) throws Exception {
        for (int i = 0; i < 3000 && Files.size(counter) <= from; i++) {
            Thread.sleep(5);
        }
        assertTrue(Files.size(counter) > from, "the counter never moved past " + from);
    }
}
