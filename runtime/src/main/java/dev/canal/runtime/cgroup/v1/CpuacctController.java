package dev.canal.runtime.cgroup.v1;

import dev.canal.runtime.cgroup.CgroupFiles;
import dev.canal.runtime.cgroup.CgroupStats;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The v1 cpuacct controller (Documentation/admin-guide/cgroup-v1/cpuacct.rst) only counts: CPU
 * time in nanoseconds in total and per CPU, and user/system time in USER_HZ ticks.
 */
final class CpuacctController {

    /** USER_HZ, the unit of cpuacct.stat (100 on every Linux architecture Canal runs on; times(2)). */
    private static final long NANOS_PER_TICK = 1_000_000_000L / 100;

    private CpuacctController() {}

    static CgroupStats.CpuUsage usage(Path directory) {
        if (!CgroupFiles.exists(directory, "cpuacct.usage")) {
            return new CgroupStats.CpuUsage(0, List.of(), List.of(), List.of(), 0, 0);
        }
        Map<String, Long> ticks = CgroupFiles.readKeyed(directory, "cpuacct.stat");
        return new CgroupStats.CpuUsage(
                CgroupFiles.readLong(directory, "cpuacct.usage"),
                perCpu(directory, "cpuacct.usage_percpu"),
                perCpu(directory, "cpuacct.usage_percpu_sys"),
                perCpu(directory, "cpuacct.usage_percpu_user"),
                ticks.getOrDefault("system", 0L) * NANOS_PER_TICK,
                ticks.getOrDefault("user", 0L) * NANOS_PER_TICK);
    }

    private static List<Long> perCpu(Path directory, String file) {
        if (!CgroupFiles.exists(directory, file)) {
            return List.of();
        }
        return Arrays.stream(CgroupFiles.read(directory, file).split("\\s+"))
                .filter(s -> !s.isEmpty())
                .map(Long::parseLong)
                .toList();
    }
}
