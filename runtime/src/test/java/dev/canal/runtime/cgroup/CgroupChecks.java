package dev.canal.runtime.cgroup;

import static dev.canal.runtime.cgroup.TestCgroups.destroyQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

    static void aProcessOverTheMemoryLimitIsOomKilledAndCounted(CgroupLayout layout) throws Exception {
        Cgroup cgroup = null;
        try (var shell = new HeldShell("dd if=/dev/zero of=/dev/null bs=64M count=1; echo dd-status=$?")) {
            // No swap either: memory plus swap is the same 32 MiB.
            cgroup = Cgroups.create(layout, TestCgroups.uniquePath(), "unused", TestCgroups.memory(32 * MIB, 32 * MIB));
            assertEquals(0, cgroup.oomKillCount());
            cgroup.addProcess(shell.pid());
            shell.release();
            assertTrue(cgroup.awaitOomKill(0, Duration.ofSeconds(20)), "no OOM kill was counted");
            assertTrue(cgroup.oomKillCount() >= 1);
            shell.waitFor(10);
            assertTrue(shell.output().contains("dd-status=137"), "dd was not SIGKILLed: " + shell.output());
            CgroupStats.Memory memory = cgroup.stats().memory();
            assertEquals(32 * MIB, memory.usage().limit());
            assertTrue(memory.usage().max() > 30 * MIB, "the peak should have reached the limit: " + memory.usage());
        } finally {
            destroyQuietly(cgroup);
        }
    }

    static void pidsMaxStopsAForkLoop(CgroupLayout layout) throws Exception {
        Cgroup cgroup = null;
        try (var shell = new HeldShell("for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20; do sleep 30 & done")) {
            cgroup = Cgroups.create(layout, TestCgroups.uniquePath(), "unused", TestCgroups.pids(8));
            cgroup.addProcess(shell.pid());
            shell.release();
            // busybox sh gives up the loop at the first failed fork.
            waitForOutput(shell, "can't fork");
            assertTrue(cgroup.pids().size() <= 8, "more tasks than pids.max=8: " + cgroup.pids());
            assertTrue(cgroup.pids().size() >= 7, "the 7 sleeps that fitted are gone: " + cgroup.pids());
            assertEquals(8, cgroup.stats().pids().limit());
            cgroup.killAll(9);
            assertEquals(0, cgroup.pids().size());
        } finally {
            destroyQuietly(cgroup);
        }
    }

    static void freezeStopsACounterAndThawResumesIt(CgroupLayout layout) throws Exception {
        // The counter is the file's length: one byte more per loop, read atomically with stat(2).
        Path counter = Files.createTempFile("canal-freeze", ".count");
        Cgroup cgroup = null;
        try (var shell = new HeldShell("while :; do echo -n x >> " + counter + "; done")) {
            cgroup = Cgroups.create(layout, TestCgroups.uniquePath(), "unused", TestCgroups.none());
            cgroup.addProcess(shell.pid());
            shell.release();
            awaitGrowth(counter, 0);
            cgroup.freeze();
            assertTrue(cgroup.isFrozen());
            long frozenAt = Files.size(counter);
            Thread.sleep(300);
            assertEquals(frozenAt, Files.size(counter), "the counter moved while frozen");
            cgroup.thaw();
            assertFalse(cgroup.isFrozen());
            awaitGrowth(counter, frozenAt);
        } finally {
            destroyQuietly(cgroup);
            Files.deleteIfExists(counter);
        }
    }

    static void statsReportMemoryAndCpuInRuncsJsonShape(CgroupLayout layout) throws Exception {
        Cgroup cgroup = null;
        try (var shell = new HeldShell("i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo done; sleep 30")) {
            cgroup = Cgroups.create(layout, TestCgroups.uniquePath(), "unused", TestCgroups.pids(100));
            cgroup.addProcess(shell.pid());
            shell.release();
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
        } finally {
            destroyQuietly(cgroup);
        }
    }

    static void killAllEmptiesTheCgroupIncludingChildren(CgroupLayout layout) throws Exception {
        Cgroup cgroup = null;
        try (var shell = new HeldShell("sleep 60 & sleep 60 & (sleep 60 & wait) & echo forked; wait")) {
            cgroup = Cgroups.create(layout, TestCgroups.uniquePath(), "unused", TestCgroups.none());
            cgroup.addProcess(shell.pid());
            shell.release();
            waitForOutput(shell, "forked");
            assertTrue(cgroup.pids().size() >= 4, "processes: " + cgroup.pids());
            cgroup.killAll(9);
            assertEquals(0, cgroup.pids().size());
            cgroup.destroy();
            assertFalse(TestCgroups.existsAnywhere(layout, cgroup.path()));
        } finally {
            destroyQuietly(cgroup);
        }
    }

    static void aDeniedDeviceCannotBeOpened(CgroupLayout layout) throws Exception {
        Cgroup cgroup = null;
        try (var shell = new HeldShell("head -c1 /dev/zero >/dev/zero && echo zero-ok; head -c1 /dev/null; echo null-status=$?")) {
            cgroup = Cgroups.create(layout, TestCgroups.uniquePath(), "unused",
                    TestCgroups.devices(TestCgroups.rule(false, "c", 1L, 3L, "rwm")));
            cgroup.addProcess(shell.pid());
            shell.release();
            assertEquals(0, shell.waitFor(10));
            String output = shell.output();
            assertTrue(output.contains("zero-ok"), output);
            assertTrue(output.contains("/dev/null: Operation not permitted"), output);
            assertTrue(output.contains("null-status=1"), output);
        } finally {
            destroyQuietly(cgroup);
        }
    }

    static void waitForOutput(HeldShell shell, String text) throws Exception {
        for (int i = 0; i < 1000 && !shell.output().contains(text); i++) {
            Thread.sleep(10);
        }
        assertTrue(shell.output().contains(text), "never printed " + text + ": " + shell.output());
    }

    private static void awaitGrowth(Path counter, long from) throws Exception {
        for (int i = 0; i < 1000 && Files.size(counter) <= from; i++) {
            Thread.sleep(5);
        }
        assertTrue(Files.size(counter) > from, "the counter never moved past " + from);
    }
}
