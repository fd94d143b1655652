package dev.canal.cli.run;

import dev.canal.cli.image.HumanUnits;
import dev.canal.engine.ResourceSample;
import dev.canal.runtime.cgroup.CgroupStats;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;

/**
 * One line of {@code docker stats}, worked out from two readings of a container as the docker
 * CLI works it out from cpu_stats and precpu_stats (cli/command/container/stats_helpers.go:
 * calculateCPUPercentUnix, calculateMemUsageUnixNoCache, calculateBlockIO, calculateNetwork).
 */
record StatsRow(
        double cpuPercent,
        long memoryUsed,
        long memoryLimit,
        long networkReceived,
        long networkSent,
        long blockRead,
        long blockWritten,
        long pids) {

    /** What docker shows for a container that does not run: zeros. */
    static final StatsRow STOPPED = new StatsRow(0, 0, 0, 0, 0, 0, 0, 0);

    static StatsRow between(ResourceSample previous, ResourceSample current) {
        CgroupStats stats = current.cgroup();
        long networkReceived = 0;
        long networkSent = 0;
        for (ResourceSample.InterfaceCounters counters : current.networks().values()) {
            networkReceived += counters.rxBytes();
            networkSent += counters.txBytes();
        }
        return new StatsRow(
                cpuPercent(previous, current),
                memoryUsedWithoutCache(stats.memory()),
                current.memoryLimit(),
                networkReceived,
                networkSent,
                bytes(stats.blkio().ioServiceBytesRecursive(), 'r'),
                bytes(stats.blkio().ioServiceBytesRecursive(), 'w'),
                stats.pids().current());
    }

    /**
     * The container's share of the machine's CPU time between the two readings, scaled to the
     * online CPUs: 100% is one CPU kept busy, 200% two.
     */
    private static double cpuPercent(ResourceSample previous, ResourceSample current) {
        double containerDelta = current.cgroup().cpu().usage().total()
                - previous.cgroup().cpu().usage().total();
        double hostDelta = current.hostCpuNanos() - previous.hostCpuNanos();
        int cpus = current.onlineCpus() > 0
                ? current.onlineCpus()
                : current.cgroup().cpu().usage().percpu().size();
        return containerDelta > 0 && hostDelta > 0 ? containerDelta / hostDelta * cpus * 100.0 : 0.0;
    }

    /**
     * The usage less the inactive file cache (memory.stat's total_inactive_file on v1,
     * inactive_file on v2), which the kernel reclaims before it would OOM-kill.
     */
    private static long memoryUsedWithoutCache(CgroupStats.Memory memory) {
        long usage = memory.usage().usage();
        Map<String, Long> stat = memory.raw();
        Long v1 = stat.get("total_inactive_file");
        if (v1 != null && v1 < usage) {
            return usage - v1;
        }
        long v2 = stat.getOrDefault("inactive_file", 0L);
        return v2 < usage ? usage - v2 : usage;
    }

    /** The bytes of the entries whose operation starts with {@code op} ("Read", "Write"), over all devices. */
    private static long bytes(List<CgroupStats.BlkioEntry> entries, char op) {
        return entries.stream()
                .filter(entry -> !entry.op().isEmpty()
                        && Character.toLowerCase(entry.op().charAt(0)) == op)
                .mapToLong(CgroupStats.BlkioEntry::value)
                .sum();
    }

    /** The memory used as a percentage of the limit. */
    double memoryPercent() {
        return memoryLimit == 0 ? 0.0 : 100.0 * memoryUsed / memoryLimit;
    }

    /** The cells after CONTAINER ID and NAME, formatted as docker's formatter_stats.go does. */
    List<String> cells() {
        return List.of(
                percent(cpuPercent),
                HumanUnits.binarySize(memoryUsed) + " / " + HumanUnits.binarySize(memoryLimit),
                percent(memoryPercent()),
                HumanUnits.size(networkReceived) + " / " + HumanUnits.size(networkSent),
                HumanUnits.size(blockRead) + " / " + HumanUnits.size(blockWritten),
                Long.toString(pids));
    }

    /**
     * Go's %.2f: the exact binary value rounded half to even (3.125 is "3.12"), where Java's
     * String.format would round half up.
     */
    private static String percent(double value) {
        return new BigDecimal(value).setScale(2, RoundingMode.HALF_EVEN).toPlainString() + "%";
    }
}
