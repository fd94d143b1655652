package dev.canal.runtime.cgroup.v2;

import static dev.canal.runtime.cgroup.CgroupFiles.write;

import dev.canal.runtime.cgroup.CgroupFiles;
import dev.canal.runtime.cgroup.CgroupStats;
import dev.canal.runtime.cgroup.ResourceController;
import dev.canal.runtime.cgroup.ResourceNeeds;
import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The v2 cpu controller (Documentation/admin-guide/cgroup-v2.rst "CPU"): cpu.weight (1 to 10000,
 * 100 is normal) instead of v1's cpu.shares, cpu.max ("$QUOTA $PERIOD" or "max $PERIOD") for
 * bandwidth, cpu.max.burst and cpu.idle. Realtime bandwidth has no v2 file.
 */
final class CpuController extends ResourceController {

    CpuController() {
        super("cpu", ResourceNeeds::cpu);
    }

    @Override
    public void apply(Resources resources, Path directory) {
        Resources.Cpu cpu = resources.cpu();
        if (cpu.shares() != null && cpu.shares() != 0) {
            write(directory, "cpu.weight", Long.toString(weight(cpu.shares())));
        }
        if (cpu.quota() != null || cpu.period() != null) {
            String quota = cpu.quota() != null && cpu.quota() > 0 ? Long.toString(cpu.quota()) : "max";
            write(
                    directory,
                    "cpu.max",
                    cpu.period() == null ? quota : quota + " " + Long.toUnsignedString(cpu.period()));
        }
        if (cpu.burst() != null) {
            write(directory, "cpu.max.burst", Long.toUnsignedString(cpu.burst()));
        }
        if (cpu.idle() != null) {
            write(directory, "cpu.idle", Long.toString(cpu.idle()));
        }
    }

    /**
     * v1 shares (2 to 262144, default 1024) as a v2 weight (1 to 10000, default 100). runc 1.3
     * and crun 1.23 use this curve, which maps the ends onto the ends and 1024 onto 100
     * (opencontainers/cgroups ConvertCPUSharesToCgroupV2Value); the older linear formula mapped
     * 1024 to 39, so a container with default shares got less than a plain process.
     */
    static long weight(long shares) {
        if (shares <= 2) {
            return 1;
        }
        if (shares >= 262_144) {
            return 10_000;
        }
        double log = Math.log(shares) / Math.log(2);
        double exponent = (log * log + 125 * log) / 612.0 - 7.0 / 34.0;
        return (long) Math.ceil(Math.pow(10, exponent));
    }

    /** cpu.stat, in microseconds on v2; reported in nanoseconds as on v1. */
    static CgroupStats.Cpu stats(Path directory) {
        Map<String, Long> stat = CgroupFiles.readKeyed(directory, "cpu.stat");
        return new CgroupStats.Cpu(
                new CgroupStats.CpuUsage(
                        micros(stat, "usage_usec"),
                        List.of(),
                        List.of(),
                        List.of(),
                        micros(stat, "system_usec"),
                        micros(stat, "user_usec")),
                new CgroupStats.Throttling(
                        stat.getOrDefault("nr_periods", 0L),
                        stat.getOrDefault("nr_throttled", 0L),
                        micros(stat, "throttled_usec")));
    }

    private static long micros(Map<String, Long> stat, String key) {
        return stat.getOrDefault(key, 0L) * 1000;
    }
}
