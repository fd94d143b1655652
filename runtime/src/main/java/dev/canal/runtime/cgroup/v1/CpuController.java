package dev.canal.runtime.cgroup.v1;

import static dev.canal.runtime.cgroup.CgroupFiles.write;

import dev.canal.runtime.cgroup.CgroupFiles;
import dev.canal.runtime.cgroup.CgroupStats;
import dev.canal.runtime.cgroup.ResourceController;
import dev.canal.runtime.cgroup.ResourceNeeds;
import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;
import java.util.Map;

/**
 * The v1 cpu controller (Documentation/scheduler/sched-bwc.rst, sched-rt-group.rst): a relative
 * weight (cpu.shares, 1024 is one "normal" task), CFS bandwidth (at most cfs_quota_us of CPU
 * time per cfs_period_us, across all CPUs), realtime bandwidth, and SCHED_IDLE for the group.
 */
final class CpuController extends ResourceController {

    CpuController() {
        super("cpu", resources -> ResourceNeeds.cpu(resources) || ResourceNeeds.cpuRealtime(resources));
    }

    @Override
    public void apply(Resources resources, Path directory) {
        Resources.Cpu cpu = resources.cpu();
        if (cpu.shares() != null) {
            write(directory, "cpu.shares", Long.toString(cpu.shares()));
        }
        writeBandwidth(directory, "cpu.cfs_period_us", cpu.period(), "cpu.cfs_quota_us", cpu.quota());
        if (cpu.burst() != null) {
            write(directory, "cpu.cfs_burst_us", Long.toUnsignedString(cpu.burst()));
        }
        writeBandwidth(directory, "cpu.rt_period_us", cpu.realtimePeriod(), "cpu.rt_runtime_us", cpu.realtimeRuntime());
        if (cpu.idle() != null) {
            write(directory, "cpu.idle", Long.toString(cpu.idle()));
        }
    }

    /**
     * A period and the time allowed in it. The kernel checks each write against the other
     * value already there, so when the new period is refused (the old quota does not fit it),
     * the quota goes first.
     */
    private static void writeBandwidth(Path directory, String periodFile, Long period, String quotaFile, Long quota) {
        if (period != null) {
            try {
                write(directory, periodFile, Long.toUnsignedString(period));
            } catch (RuntimeException refused) {
                if (quota == null) {
                    throw refused;
                }
                write(directory, quotaFile, Long.toString(quota));
                write(directory, periodFile, Long.toUnsignedString(period));
            }
        }
        if (quota != null) {
            write(directory, quotaFile, Long.toString(quota));
        }
    }

    /** cpu.stat: CFS periods, throttled periods and throttled time (ns). */
    static CgroupStats.Throttling throttling(Path directory) {
        Map<String, Long> stat = CgroupFiles.readKeyed(directory, "cpu.stat");
        return new CgroupStats.Throttling(
                stat.getOrDefault("nr_periods", 0L),
                stat.getOrDefault("nr_throttled", 0L),
                stat.getOrDefault("throttled_time", 0L));
    }
}
