package dev.canal.runtime.oci;

import java.util.List;
import java.util.Map;

/**
 * The cgroup limits of {@code linux.resources} (config-linux.md#control-groups), one record per
 * controller. Fields the spec types {@code int64} use -1 for "unlimited"; {@code uint64} fields
 * hold all 64 bits (see the package documentation).
 *
 * @param devices the device allow/deny list, applied in the listed order
 * @param unified cgroup v2 interface files and the values to write, for example
 *     "memory.high" to "1G" (config-linux.md#unified)
 */
public record Resources(
        List<DeviceRule> devices,
        Memory memory,
        Cpu cpu,
        Pids pids,
        BlockIo blockIO,
        List<HugepageLimit> hugepageLimits,
        Network network,
        Map<String, Rdma> rdma,
        Map<String, String> unified,
        @KeepUnknown Map<String, Object> unknownFields) {

    public Resources {
        devices = Immutable.list(devices);
        hugepageLimits = Immutable.list(hugepageLimits);
        rdma = Immutable.map(rdma);
        unified = Immutable.map(unified);
        unknownFields = Immutable.map(unknownFields);
    }

    /**
     * One rule of the device cgroup (config-linux.md#allowed-device-list): allow or deny
     * {@code access} ("rwm": read, write, mknod) to devices of a type ("a" all, "c", "b") and
     * major:minor, where an absent number matches any.
     */
    public record DeviceRule(
            boolean allow,
            String type,
            Long major,
            Long minor,
            String access,
            @KeepUnknown Map<String, Object> unknownFields) {

        public DeviceRule {
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /**
     * The memory controller (config-linux.md#memory), in bytes; -1 is unlimited.
     *
     * @param swap memory plus swap, not swap alone
     * @param kernel deprecated: ignored by kernels since 5.4 and by cgroup v2
     * @param swappiness 0 to 100, cgroup v1 only
     */
    public record Memory(
            Long limit,
            Long reservation,
            Long swap,
            Long kernel,
            Long kernelTCP,
            @Uint64 Long swappiness,
            Boolean disableOOMKiller,
            Boolean useHierarchy,
            Boolean checkBeforeUpdate,
            @KeepUnknown Map<String, Object> unknownFields) {

        public Memory {
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /**
     * The cpu and cpuset controllers (config-linux.md#cpu). Times are in microseconds.
     *
     * @param shares a relative weight (cgroup v1 cpu.shares; converted to cpu.weight on v2)
     * @param quota CPU time allowed per {@code period}; -1 is unlimited
     * @param cpus the cpuset, for example "0-3,6"
     * @param idle 1 to make the cgroup SCHED_IDLE
     */
    public record Cpu(
            @Uint64 Long shares,
            Long quota,
            @Uint64 Long burst,
            @Uint64 Long period,
            Long realtimeRuntime,
            @Uint64 Long realtimePeriod,
            String cpus,
            String mems,
            Long idle,
            @KeepUnknown Map<String, Object> unknownFields) {

        public Cpu {
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /** The pids controller (config-linux.md#pids): at most {@code limit} tasks; -1 is unlimited. */
    public record Pids(long limit, @KeepUnknown Map<String, Object> unknownFields) {

        public Pids {
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /**
     * The blkio (v1) or io (v2) controller (config-linux.md#block-io): a weight of 10 to 1000,
     * per-device weights, and per-device bytes or operations per second.
     */
    public record BlockIo(
            Integer weight,
            Integer leafWeight,
            List<WeightDevice> weightDevice,
            List<ThrottleDevice> throttleReadBpsDevice,
            List<ThrottleDevice> throttleWriteBpsDevice,
            List<ThrottleDevice> throttleReadIOPSDevice,
            List<ThrottleDevice> throttleWriteIOPSDevice,
            @KeepUnknown Map<String, Object> unknownFields) {

        public BlockIo {
            weightDevice = Immutable.list(weightDevice);
            throttleReadBpsDevice = Immutable.list(throttleReadBpsDevice);
            throttleWriteBpsDevice = Immutable.list(throttleWriteBpsDevice);
            throttleReadIOPSDevice = Immutable.list(throttleReadIOPSDevice);
            throttleWriteIOPSDevice = Immutable.list(throttleWriteIOPSDevice);
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /** A block device's own weight, by major:minor. */
    public record WeightDevice(
            long major,
            long minor,
            Integer weight,
            Integer leafWeight,
            @KeepUnknown Map<String, Object> unknownFields) {

        public WeightDevice {
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /** A block device's rate limit, by major:minor, in bytes or operations per second. */
    public record ThrottleDevice(
            long major,
            long minor,
            @Uint64 Long rate,
            @KeepUnknown Map<String, Object> unknownFields) {

        public ThrottleDevice {
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /**
     * The hugetlb controller (config-linux.md#huge-page-limits): at most {@code limit} bytes of
     * huge pages of {@code pageSize} ("2MB", "1GB").
     */
    public record HugepageLimit(
            String pageSize,
            @Uint64 Long limit,
            @KeepUnknown Map<String, Object> unknownFields) {

        public HugepageLimit {
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /**
     * The net_cls and net_prio controllers, cgroup v1 only (config-linux.md#network): a class id
     * for traffic control, and a priority per interface.
     */
    public record Network(
            Long classID,
            List<InterfacePriority> priorities,
            @KeepUnknown Map<String, Object> unknownFields) {

        public Network {
            priorities = Immutable.list(priorities);
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /** The net_prio priority of traffic leaving through one interface. */
    public record InterfacePriority(
            String name, long priority, @KeepUnknown Map<String, Object> unknownFields) {

        public InterfacePriority {
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /** The rdma controller's limits for one device (config-linux.md#rdma), the map key naming it. */
    public record Rdma(
            Long hcaHandles, Long hcaObjects, @KeepUnknown Map<String, Object> unknownFields) {

        public Rdma {
            unknownFields = Immutable.map(unknownFields);
        }
    }
}
