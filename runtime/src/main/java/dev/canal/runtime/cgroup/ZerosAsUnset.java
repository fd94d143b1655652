package dev.canal.runtime.cgroup;

import dev.canal.runtime.oci.Resources;

/**
 * runc's reading of a 0 in {@code linux.resources}: for the limits and weights below, 0 means
 * "not set", and the cgroup keeps its current value. Callers rely on it: dockerd 20.10 sends
 * {@code "cpu": {"shares": 0}} and {@code "blockIO": {"weight": 0}} for every container without
 * {@code --cpu-shares} or {@code --blkio-weight}. Written as is, 0 would be refused (a weight is 10
 * to 1000) or, for v1's cpu.shares, clamped by the kernel to the lowest priority, 2.
 *
 * <p>runc (libcontainer/cgroups/fs and fs2) skips a file when its value is 0: cpu.shares,
 * cfs_quota_us, cfs_period_us, rt_runtime_us, rt_period_us, the memory limit, soft limit,
 * memory+swap limit, kernel and TCP limits, blkio weight, leaf weight and per-device weights. A 0
 * that means something stays: swappiness, cpu.idle, cpu.burst (pointers in runc), and pids.limit
 * is already "not set" at 0 ({@link PidsController}).
 */
public final class ZerosAsUnset {

    private ZerosAsUnset() {}

    /** {@code resources} with each of those zeros as null (absent); the rest unchanged. */
    public static Resources clear(Resources resources) {
        if (resources == null) {
            return null;
        }
        return new Resources(
                resources.devices(),
                memory(resources.memory()),
                cpu(resources.cpu()),
                resources.pids(),
                blockIo(resources.blockIO()),
                resources.hugepageLimits(),
                resources.network(),
                resources.rdma(),
                resources.unified(),
                resources.unknownFields());
    }

    private static Resources.Memory memory(Resources.Memory memory) {
        if (memory == null) {
            return null;
        }
        return new Resources.Memory(
                unset(memory.limit()),
                unset(memory.reservation()),
                unset(memory.swap()),
                unset(memory.kernel()),
                unset(memory.kernelTCP()),
                memory.swappiness(),
                memory.disableOOMKiller(),
                memory.useHierarchy(),
                memory.checkBeforeUpdate(),
                memory.unknownFields());
    }

    private static Resources.Cpu cpu(Resources.Cpu cpu) {
        if (cpu == null) {
            return null;
        }
        return new Resources.Cpu(
                unset(cpu.shares()),
                unset(cpu.quota()),
                cpu.burst(),
                unset(cpu.period()),
                unset(cpu.realtimeRuntime()),
                unset(cpu.realtimePeriod()),
                cpu.cpus(),
                cpu.mems(),
                cpu.idle(),
                cpu.unknownFields());
    }

    private static Resources.BlockIo blockIo(Resources.BlockIo io) {
        if (io == null) {
            return null;
        }
        var devices = io.weightDevice().stream()
                .map(device -> new Resources.WeightDevice(
                        device.major(),
                        device.minor(),
                        unset(device.weight()),
                        unset(device.leafWeight()),
                        device.unknownFields()))
                .toList();
        return new Resources.BlockIo(
                unset(io.weight()),
                unset(io.leafWeight()),
                devices,
                io.throttleReadBpsDevice(),
                io.throttleWriteBpsDevice(),
                io.throttleReadIOPSDevice(),
                io.throttleWriteIOPSDevice(),
                io.unknownFields());
    }

    private static Long unset(Long value) {
        return value != null && value == 0 ? null : value;
    }

    private static Integer unset(Integer value) {
        return value != null && value == 0 ? null : value;
    }
}
