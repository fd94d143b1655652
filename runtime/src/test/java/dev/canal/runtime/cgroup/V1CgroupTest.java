package dev.canal.runtime.cgroup;

import static dev.canal.runtime.cgroup.TestCgroups.destroyQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.canal.runtime.oci.Resources;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Canal's cgroup v1 manager against the real kernel: limits enforced on real processes. */
@RequiresRoot
class V1CgroupTest {

    private static final long MIB = 1024 * 1024;
    private static CgroupLayout layout;

    @BeforeAll
    static void v1Controllers() {
        layout = CgroupLayout.detect();
        assumeTrue(!layout.limitsOnV2(), "this machine puts limits on cgroup v2; CgroupV2VmTest covers it");
    }

    @Test
    void aProcessOverTheMemoryLimitIsOomKilledAndCounted() throws Exception {
        CgroupChecks.aProcessOverTheMemoryLimitIsOomKilledAndCounted(layout);
    }

    @Test
    void cpuSharesSplitOneCpuFourToOne() throws Exception {
        CgroupChecks.cpuSharesSplitOneCpuByWeight(layout);
    }

    @Test
    void aProcessUnderTheMemoryLimitIsNotOomKilled() throws Exception {
        CgroupChecks.aProcessUnderTheMemoryLimitIsNotOomKilled(layout);
    }

    @Test
    void aReadBpsThrottleHoldsDirectReadsToItsRate() throws Exception {
        CgroupChecks.aReadBpsThrottleHoldsDirectReadsToItsRate(layout);
    }

    @Test
    void pidsMaxStopsAForkLoop() throws Exception {
        CgroupChecks.pidsMaxStopsAForkLoop(layout);
    }

    @Test
    void aCpuQuotaHoldsABusyLoopNearItsShare() throws Exception {
        // 20 ms of CPU time per 100 ms period: a fifth of one CPU.
        CgroupChecks.inCgroup(
                CgroupChecks.fresh(layout),
                TestCgroups.cpu(20_000L, 100_000L, null),
                "while :; do :; done",
                (cgroup, shell) -> {
                    Thread.sleep(300);
                    long startUsage = cgroup.stats().cpu().usage().total();
                    long start = System.nanoTime();
                    Thread.sleep(2000);
                    double share =
                            (double) (cgroup.stats().cpu().usage().total() - startUsage) / (System.nanoTime() - start);
                    assertTrue(share > 0.10 && share < 0.35, "a 0.2 CPU quota let the loop use " + share + " of a CPU");
                    assertTrue(
                            cgroup.stats().cpu().throttling().throttledPeriods() > 0, "the loop was never throttled");
                });
    }

    @Test
    void freezeStopsACounterAndThawResumesIt() throws Exception {
        CgroupChecks.freezeStopsACounterAndThawResumesIt(layout);
    }

    @Test
    void statsReportMemoryAndCpuInRuncsJsonShape() throws Exception {
        CgroupChecks.statsReportMemoryAndCpuInRuncsJsonShape(layout);
    }

    @Test
    void killAllEmptiesTheCgroupIncludingChildren() throws Exception {
        CgroupChecks.killAllEmptiesTheCgroupIncludingChildren(layout);
    }

    @Test
    void aDeniedDeviceCannotBeOpened() throws Exception {
        CgroupChecks.aDeniedDeviceCannotBeOpened(layout);
    }

    @Test
    void signallingAPausedContainerKeepsItPausedUntilSigkill() throws Exception {
        CgroupChecks.inCgroup(
                CgroupChecks.fresh(layout), TestCgroups.none(), "sleep 60 & echo forked; wait", (cgroup, shell) -> {
                    CgroupChecks.waitForOutput(shell, "forked");
                    cgroup.freeze();
                    cgroup.killAll(15);
                    assertTrue(cgroup.isFrozen(), "SIGTERM thawed a paused container");
                    assertEquals(2, cgroup.pids().size());
                    cgroup.killAll(9);
                    assertEquals(0, cgroup.pids().size());
                });
    }

    @Test
    void updateChangesOnlyTheGivenFields() {
        Cgroup cgroup = null;
        try {
            cgroup = Cgroups.create(
                    layout,
                    TestCgroups.uniquePath(),
                    "unused",
                    TestCgroups.resources(
                            new Resources.Memory(64 * MIB, null, null, null, null, null, null, null, null, null),
                            null,
                            new Resources.Pids(10, null),
                            null,
                            null));
            Path memory = CgroupPath.in(layout.v1Mounts().get("memory"), cgroup.path());
            Path pids = CgroupPath.in(layout.v1Mounts().get("pids"), cgroup.path());
            cgroup.update(TestCgroups.pids(20));
            assertEquals("20", CgroupFiles.read(pids, "pids.max"));
            assertEquals(64 * MIB, CgroupFiles.readLong(memory, "memory.limit_in_bytes"));
            cgroup.update(TestCgroups.memory(128 * MIB, 256 * MIB));
            assertEquals(128 * MIB, CgroupFiles.readLong(memory, "memory.limit_in_bytes"));
            assertEquals(256 * MIB, CgroupFiles.readLong(memory, "memory.memsw.limit_in_bytes"));
            cgroup.update(TestCgroups.memory(32 * MIB, 32 * MIB));
            assertEquals(32 * MIB, CgroupFiles.readLong(memory, "memory.memsw.limit_in_bytes"));
            assertEquals("20", CgroupFiles.read(pids, "pids.max"));
        } finally {
            destroyQuietly(cgroup);
        }
    }

    @Test
    void zerosAsDockerSendsThemKeepTheCgroupsValues() {
        Cgroup cgroup = null;
        try {
            // dockerd 20.10 without --cpu-shares or --blkio-weight: "shares": 0, "weight": 0.
            var zeros = TestCgroups.resources(
                    null,
                    new Resources.Cpu(0L, null, null, null, null, null, null, null, null, null),
                    null,
                    new Resources.BlockIo(0, null, null, null, null, null, null, null),
                    null);
            cgroup = Cgroups.create(layout, TestCgroups.uniquePath(), "unused", zeros);
            Path cpu = CgroupPath.in(layout.v1Mounts().get("cpu"), cgroup.path());
            assertEquals("1024", CgroupFiles.read(cpu, "cpu.shares"), "the kernel's default, not 0 clamped to 2");
            cgroup.update(TestCgroups.resources(
                    null,
                    new Resources.Cpu(512L, null, null, null, null, null, null, null, null, null),
                    null,
                    null,
                    null));
            cgroup.update(zeros);
            assertEquals("512", CgroupFiles.read(cpu, "cpu.shares"), "an update with shares 0 changes nothing");
        } finally {
            destroyQuietly(cgroup);
        }
    }

    @Test
    void aCpusetCgroupInheritsItsParentsCpusSoTasksCanJoin() throws Exception {
        String parent = TestCgroups.uniquePath();
        try {
            // Both levels are new: the parent's cpus and mems must be copied down first.
            CgroupChecks.inCgroup(
                    resources -> Cgroups.create(layout, parent + "/nested", "unused", resources),
                    TestCgroups.cpu(null, null, "0"),
                    "echo joined",
                    (cgroup, shell) -> {
                        Path cpuset = CgroupPath.in(layout.v1Mounts().get("cpuset"), cgroup.path());
                        assertEquals("0", CgroupFiles.read(cpuset, "cpuset.cpus"));
                        assertNotEquals("", CgroupFiles.read(cpuset.getParent(), "cpuset.mems"));
                        CgroupChecks.waitForOutput(shell, "joined");
                    });
        } finally {
            Cgroups.open(layout, parent).destroy();
        }
    }

    @Test
    void destroyRemovesChildCgroupsTheContainerMade() throws Exception {
        Cgroup cgroup = null;
        try {
            cgroup = Cgroups.create(layout, TestCgroups.uniquePath(), "unused", TestCgroups.none());
            // As a systemd inside the container would: cgroups of its own below the container's.
            Path memory = CgroupPath.in(layout.v1Mounts().get("memory"), cgroup.path());
            Files.createDirectories(memory.resolve("init.scope/inner"));
            cgroup.destroy();
            assertFalse(TestCgroups.existsAnywhere(layout, cgroup.path()));
        } finally {
            destroyQuietly(cgroup);
        }
    }

    @Test
    void procSelfCgroupIsWhatAProcessInTheCgroupSees() throws Exception {
        CgroupChecks.inCgroup(
                CgroupChecks.fresh(layout), TestCgroups.none(), "cat /proc/self/cgroup; echo end", (cgroup, shell) -> {
                    CgroupChecks.waitForOutput(shell, "end");
                    assertEquals(cgroup.procSelfCgroup() + "end\n", shell.output());
                    assertTrue(
                            cgroup.procSelfCgroup().contains(":memory:" + cgroup.path() + "\n"),
                            cgroup.procSelfCgroup());
                    if (layout.kind() == CgroupLayout.Kind.HYBRID) {
                        assertTrue(
                                cgroup.procSelfCgroup().contains("0::" + cgroup.path() + "\n"),
                                cgroup.procSelfCgroup());
                    }
                });
    }
}
