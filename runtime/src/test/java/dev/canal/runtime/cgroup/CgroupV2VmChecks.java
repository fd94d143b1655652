package dev.canal.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cgroup v2 checks run inside the VM of scripts/cgroup-v2-vm (by CgroupV2VmTest), where
 * cgroup2 is the only hierarchy. Java runs 30-40x slower there, so this is a plain main over a
 * few of {@link CgroupChecks}, printing "PASS name" or "FAIL name: why" per check and exiting 1
 * if any failed.
 */
public final class CgroupV2VmChecks {

    private CgroupV2VmChecks() {}

    interface Check {
        void run(CgroupLayout layout) throws Exception;
    }

    /** The v2 column of docs/cgroups.md's table: conversions and file names, and an update. */
    static void limitsAreWrittenAsTheTableSays(CgroupLayout layout) {
        long mib = 1024 * 1024;
        var memory = new Resources.Memory(64 * mib, 16 * mib, 96 * mib, null, null, null, null, null, null, null);
        var cpu = new Resources.Cpu(1024L, 20_000L, null, 100_000L, null, null, "0", null, null, null);
        var resources = new Resources(
                null,
                memory,
                cpu,
                new Resources.Pids(50, null),
                null,
                null,
                null,
                null,
                Map.of("memory.high", Long.toString(48 * mib)),
                null);
        Cgroup cgroup = Cgroups.create(layout, TestCgroups.uniquePath(), "unused", resources);
        try {
            Path directory = CgroupPath.in(layout.unified(), cgroup.path());
            assertEquals(Long.toString(64 * mib), CgroupFiles.read(directory, "memory.max"));
            assertEquals(Long.toString(16 * mib), CgroupFiles.read(directory, "memory.low"));
            assertEquals(Long.toString(48 * mib), CgroupFiles.read(directory, "memory.high"));
            if (CgroupFiles.exists(directory, "memory.swap.max")) {
                assertEquals(
                        Long.toString(32 * mib),
                        CgroupFiles.read(directory, "memory.swap.max"),
                        "swap is memory plus swap minus memory");
            }
            assertEquals("100", CgroupFiles.read(directory, "cpu.weight"), "1024 shares are the default weight");
            assertEquals("20000 100000", CgroupFiles.read(directory, "cpu.max"));
            assertEquals("0", CgroupFiles.read(directory, "cpuset.cpus"));
            assertEquals("50", CgroupFiles.read(directory, "pids.max"));
            cgroup.update(TestCgroups.pids(60));
            assertEquals("60", CgroupFiles.read(directory, "pids.max"));
            assertEquals(Long.toString(64 * mib), CgroupFiles.read(directory, "memory.max"));
            assertEquals("0::" + cgroup.path() + "\n", cgroup.procSelfCgroup());
        } finally {
            cgroup.destroy();
        }
    }

    public static void main(String[] args) {
        CgroupLayout layout = CgroupLayout.detect();
        if (layout.kind() != CgroupLayout.Kind.V2) {
            System.out.println("FAIL layout: expected cgroup v2 only, found " + layout);
            System.exit(1);
        }
        Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("oom-kill", CgroupChecks::aProcessOverTheMemoryLimitIsOomKilledAndCounted);
        checks.put("pids-max", CgroupChecks::pidsMaxStopsAForkLoop);
        checks.put("freeze", CgroupChecks::freezeStopsACounterAndThawResumesIt);
        checks.put("stats", CgroupChecks::statsReportMemoryAndCpuInRuncsJsonShape);
        checks.put("device-filter", CgroupChecks::aDeniedDeviceCannotBeOpened);
        checks.put("kill-all", CgroupChecks::killAllEmptiesTheCgroupIncludingChildren);
        checks.put("v2-files", CgroupV2VmChecks::limitsAreWrittenAsTheTableSays);
        checks.put("cpu-weight", CgroupChecks::cpuSharesSplitOneCpuByWeight);
        checks.put("oom-under", CgroupChecks::aProcessUnderTheMemoryLimitIsNotOomKilled);
        checks.put("read-bps", CgroupChecks::aReadBpsThrottleHoldsDirectReadsToItsRate);
        boolean failed = false;
        for (var check : checks.entrySet()) {
            try {
                check.getValue().run(layout);
                System.out.println("PASS " + check.getKey());
            } catch (Throwable t) {
                failed = true;
                System.out.println(
                        "FAIL " + check.getKey() + ": " + t.toString().replace('\n', ' '));
            }
        }
        System.exit(failed ? 1 : 0);
    }
}
