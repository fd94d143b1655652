package dev.canal.runtime.cgroup;

import dev.canal.runtime.oci.Resources;

/**
 * Which fields of {@code linux.resources} a controller owns, in one place for the controllers
 * that v1 and v2 implement each in their own class. A controller is applied only when the spec
 * sets one of its fields (youki's {@code needs_to_handle}), so an unset field leaves the
 * cgroup's current value alone.
 */
public final class ResourceNeeds {

    private ResourceNeeds() {}

    /** The cpu fields both versions have a file for: shares, quota, period, burst, idle. */
    public static boolean cpu(Resources resources) {
        Resources.Cpu cpu = resources.cpu();
        return cpu != null
                && (cpu.shares() != null
                        || cpu.quota() != null
                        || cpu.period() != null
                        || cpu.burst() != null
                        || cpu.idle() != null);
    }

    /** Realtime bandwidth (realtimePeriod, realtimeRuntime), which only v1 has files for. */
    public static boolean cpuRealtime(Resources resources) {
        Resources.Cpu cpu = resources.cpu();
        return cpu != null && (cpu.realtimePeriod() != null || cpu.realtimeRuntime() != null);
    }

    public static boolean memory(Resources resources) {
        return resources.memory() != null;
    }

    /** blockIO: the blkio controller on v1, io on v2. */
    public static boolean blockIo(Resources resources) {
        return resources.blockIO() != null;
    }

    /** devices[]: the devices controller on v1, an eBPF program on v2. */
    public static boolean devices(Resources resources) {
        return !resources.devices().isEmpty();
    }
}
