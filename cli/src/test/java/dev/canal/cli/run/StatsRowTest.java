package dev.canal.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.engine.ResourceSample;
import dev.canal.runtime.cgroup.CgroupStats;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** docker stats' figures from two readings, as the docker CLI's stats_helpers.go works them out. */
class StatsRowTest {

    private static final long MIB = 1L << 20;

    private static ResourceSample sample(
            long cpuNanos, long hostNanos, long memory, Map<String, Long> memoryStat, List<CgroupStats.BlkioEntry> io) {
        var usage = new CgroupStats.CpuUsage(cpuNanos, List.of(), List.of(), List.of(), 0, 0);
        var cgroup = new CgroupStats(
                new CgroupStats.Cpu(usage, new CgroupStats.Throttling(0, 0, 0)),
                new CgroupStats.Memory(
                        0,
                        new CgroupStats.MemoryEntry(32 * MIB, memory, memory, 0),
                        CgroupStats.MemoryEntry.NONE,
                        CgroupStats.MemoryEntry.NONE,
                        CgroupStats.MemoryEntry.NONE,
                        memoryStat),
                new CgroupStats.Pids(3, 0),
                new CgroupStats.Blkio(io, List.of()),
                Map.of());
        var eth0 = new ResourceSample.InterfaceCounters(1500, 3, 0, 0, 500, 2, 0, 0);
        return new ResourceSample(Instant.EPOCH, cgroup, hostNanos, 2, 32 * MIB, Map.of("eth0", eth0));
    }

    @Test
    void cpuIsTheShareOfTheMachinesTimeScaledToItsCpus() {
        // Half a second of CPU time while two CPUs ran for two seconds together: 25% of the
        // machine, 50% of one CPU.
        var before = sample(1_000_000_000L, 10_000_000_000L, MIB, Map.of(), List.of());
        var after = sample(1_500_000_000L, 12_000_000_000L, MIB, Map.of(), List.of());
        assertEquals(50.0, StatsRow.between(before, after).cpuPercent(), 1e-9);
        assertEquals(0.0, StatsRow.between(after, after).cpuPercent(), "no time passed: no percentage");
    }

    @Test
    void memoryLeavesOutTheInactiveFileCacheOnV1AndV2() {
        var v1 = sample(0, 0, 8 * MIB, Map.of("total_inactive_file", 2 * MIB, "inactive_file", 5 * MIB), List.of());
        assertEquals(6 * MIB, StatsRow.between(v1, v1).memoryUsed(), "v1 takes total_inactive_file first");
        var v2 = sample(0, 0, 8 * MIB, Map.of("inactive_file", 5 * MIB), List.of());
        assertEquals(3 * MIB, StatsRow.between(v2, v2).memoryUsed());
        assertEquals(9.375, StatsRow.between(v2, v2).memoryPercent(), 1e-9);
    }

    @Test
    void blockIoAddsReadsAndWritesOverDevicesWhateverTheCase() {
        var io = List.of(
                new CgroupStats.BlkioEntry(7, 0, "Read", 4 * MIB),
                new CgroupStats.BlkioEntry(7, 0, "Write", MIB),
                new CgroupStats.BlkioEntry(7, 0, "Total", 5 * MIB),
                new CgroupStats.BlkioEntry(8, 0, "read", MIB));
        var reading = sample(0, 0, MIB, Map.of(), io);
        StatsRow row = StatsRow.between(reading, reading);
        assertEquals(5 * MIB, row.blockRead());
        assertEquals(MIB, row.blockWritten());
        assertEquals(List.of("0.00%", "1MiB / 32MiB", "3.12%", "1.5kB / 500B", "5.24MB / 1.05MB", "3"), row.cells());
    }
}
