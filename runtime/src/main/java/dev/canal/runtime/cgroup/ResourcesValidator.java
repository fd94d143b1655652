package dev.canal.runtime.cgroup;

import dev.canal.runtime.oci.Resources;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks {@code linux.resources} against the runtime-spec and against what this machine's
 * cgroups offer, before anything is created, so a bad value fails with one line naming the
 * field instead of a half-made cgroup and a kernel EINVAL.
 */
public final class ResourcesValidator {

    private static final long UNLIMITED = -1;
    /** CFS periods the kernel accepts: 1 ms to 1 s (kernel/sched/core.c, max_cfs_quota_period). */
    private static final long MIN_PERIOD = 1_000;

    private static final long MAX_PERIOD = 1_000_000;
    /** The kernel's cpu.shares range (MIN_SHARES, MAX_SHARES in kernel/sched/sched.h). */
    private static final long MIN_SHARES = 2;

    private static final long MAX_SHARES = 262_144;
    /** The v2 files that are the cgroup core's business, never a container's to set. */
    private static final Set<String> CORE_FILES = Set.of(
            "cgroup.procs", "cgroup.threads", "cgroup.subtree_control", "cgroup.kill", "cgroup.freeze", "cgroup.type");

    private final CgroupLayout layout;

    public ResourcesValidator(CgroupLayout layout) {
        this.layout = layout;
    }

    /** @throws InvalidResourcesException naming the first bad field */
    public void validate(Resources resources) {
        if (resources == null) {
            return;
        }
        if (resources.memory() != null) {
            memory(resources.memory());
        }
        if (resources.cpu() != null) {
            cpu(resources.cpu());
        }
        if (resources.pids() != null) {
            limit("pids.limit", resources.pids().limit());
            requireController("pids", "pids");
        }
        if (resources.blockIO() != null) {
            blockIo(resources.blockIO());
        }
        hugepages(resources.hugepageLimits());
        if (resources.network() != null) {
            network(resources.network());
        }
        devices(resources.devices());
        unified(resources.unified());
        if (!resources.rdma().isEmpty()) {
            requireController("rdma", "rdma");
        }
    }

    private void memory(Resources.Memory memory) {
        limit("memory.limit", memory.limit());
        limit("memory.reservation", memory.reservation());
        limit("memory.swap", memory.swap());
        limit("memory.kernel", memory.kernel());
        limit("memory.kernelTCP", memory.kernelTCP());
        requireController("memory", "memory");
        if (memory.swap() != null
                && memory.swap() > 0
                && memory.limit() != null
                && memory.limit() > 0
                && memory.swap() < memory.limit()) {
            throw new InvalidResourcesException(
                    "memory.swap",
                    memory.swap() + " is less than linux.resources.memory.limit " + memory.limit()
                            + " (swap is the limit of memory plus swap)");
        }
        if (memory.swappiness() != null
                && memory.swappiness() != UNLIMITED
                && (memory.swappiness() < 0 || memory.swappiness() > 100)) {
            throw new InvalidResourcesException(
                    "memory.swappiness", Long.toUnsignedString(memory.swappiness()) + " is not between 0 and 100");
        }
        if (layout.limitsOnV2()) {
            if (memory.swap() != null && memory.swap() > 0 && (memory.limit() == null || memory.limit() <= 0)) {
                throw new InvalidResourcesException(
                        "memory.swap",
                        "cgroup v2 limits swap apart from memory, so a swap limit needs linux.resources.memory.limit");
            }
            notOnV2("memory.swappiness", memory.swappiness() != null && memory.swappiness() != UNLIMITED);
            notOnV2("memory.kernelTCP", memory.kernelTCP() != null);
            notOnV2("memory.disableOOMKiller", Boolean.TRUE.equals(memory.disableOOMKiller()));
        } else if (memory.swap() != null && !hasV1File("memory", "memory.memsw.limit_in_bytes")) {
            throw new InvalidResourcesException(
                    "memory.swap",
                    "this kernel does not account swap (no memory.memsw.limit_in_bytes; boot with swapaccount=1)");
        }
    }

    private void cpu(Resources.Cpu cpu) {
        if (cpu.shares() != null && (cpu.shares() < MIN_SHARES || cpu.shares() > MAX_SHARES)) {
            throw new InvalidResourcesException(
                    "cpu.shares",
                    Long.toUnsignedString(cpu.shares()) + " is not between " + MIN_SHARES + " and " + MAX_SHARES);
        }
        if (cpu.quota() != null) {
            if (cpu.quota() != UNLIMITED && cpu.quota() < MIN_PERIOD) {
                throw new InvalidResourcesException(
                        "cpu.quota",
                        cpu.quota() + " is neither -1 (unlimited) nor at least " + MIN_PERIOD + " microseconds");
            }
            if (cpu.period() == null && cpu.quota() != UNLIMITED) {
                throw new InvalidResourcesException(
                        "cpu.period",
                        "missing: a quota of " + cpu.quota() + " microseconds needs the period it is allowed per");
            }
        }
        if (cpu.period() != null && (cpu.period() < MIN_PERIOD || cpu.period() > MAX_PERIOD)) {
            throw new InvalidResourcesException(
                    "cpu.period",
                    Long.toUnsignedString(cpu.period()) + " is not between " + MIN_PERIOD + " and " + MAX_PERIOD
                            + " microseconds");
        }
        if (cpu.burst() != null
                && cpu.quota() != null
                && cpu.quota() > 0
                && Long.compareUnsigned(cpu.burst(), cpu.quota()) > 0) {
            throw new InvalidResourcesException(
                    "cpu.burst",
                    Long.toUnsignedString(cpu.burst()) + " is larger than linux.resources.cpu.quota " + cpu.quota());
        }
        limit("cpu.realtimeRuntime", cpu.realtimeRuntime());
        if (cpu.idle() != null && cpu.idle() != 0 && cpu.idle() != 1) {
            throw new InvalidResourcesException("cpu.idle", cpu.idle() + " is neither 0 nor 1");
        }
        if (cpu.shares() != null || cpu.quota() != null || cpu.period() != null || cpu.idle() != null) {
            requireController("cpu", "cpu");
        }
        if (layout.limitsOnV2()) {
            notOnV2("cpu.realtimeRuntime", cpu.realtimeRuntime() != null);
            notOnV2("cpu.realtimePeriod", cpu.realtimePeriod() != null);
        } else if (cpu.realtimeRuntime() != null || cpu.realtimePeriod() != null) {
            if (!hasV1File("cpu", "cpu.rt_runtime_us")) {
                throw new InvalidResourcesException(
                        "cpu.realtimeRuntime", "this kernel has no realtime group scheduling (CONFIG_RT_GROUP_SCHED)");
            }
        }
        cpuList("cpu.cpus", cpu.cpus());
        cpuList("cpu.mems", cpu.mems());
    }

    private void cpuList(String field, String list) {
        if (list == null) {
            return;
        }
        String problem = CpuList.problem(list);
        if (problem != null) {
            throw new InvalidResourcesException(field, problem);
        }
        requireController(field, "cpuset");
    }

    private void blockIo(Resources.BlockIo io) {
        weight("blockIO.weight", io.weight());
        weight("blockIO.leafWeight", io.leafWeight());
        for (int i = 0; i < io.weightDevice().size(); i++) {
            Resources.WeightDevice device = io.weightDevice().get(i);
            String field = "blockIO.weightDevice[" + i + "]";
            weight(field + ".weight", device.weight());
            weight(field + ".leafWeight", device.leafWeight());
            blockDevice(field, device.major(), device.minor());
        }
        throttles("throttleReadBpsDevice", io.throttleReadBpsDevice());
        throttles("throttleWriteBpsDevice", io.throttleWriteBpsDevice());
        throttles("throttleReadIOPSDevice", io.throttleReadIOPSDevice());
        throttles("throttleWriteIOPSDevice", io.throttleWriteIOPSDevice());
        requireController("blockIO", layout.limitsOnV2() ? "io" : "blkio");
        if (layout.limitsOnV2()) {
            notOnV2("blockIO.leafWeight", io.leafWeight() != null);
        }
    }

    private void throttles(String name, List<Resources.ThrottleDevice> devices) {
        for (int i = 0; i < devices.size(); i++) {
            Resources.ThrottleDevice device = devices.get(i);
            String field = "blockIO." + name + "[" + i + "]";
            if (device.rate() == null) {
                throw new InvalidResourcesException(field + ".rate", "missing");
            }
            blockDevice(field, device.major(), device.minor());
        }
    }

    /** A block device exists when the kernel lists it under /sys/dev/block (sysfs-dev). */
    private static void blockDevice(String field, long major, long minor) {
        if (major < 0 || minor < 0 || !Files.exists(Path.of("/sys/dev/block/" + major + ":" + minor))) {
            throw new InvalidResourcesException(field, "no block device " + major + ":" + minor + " on this machine");
        }
    }

    private static void weight(String field, Integer weight) {
        if (weight != null && (weight < 10 || weight > 1000)) {
            throw new InvalidResourcesException(field, weight + " is not between 10 and 1000");
        }
    }

    private void hugepages(List<Resources.HugepageLimit> limits) {
        for (int i = 0; i < limits.size(); i++) {
            Resources.HugepageLimit limit = limits.get(i);
            String field = "hugepageLimits[" + i + "]";
            if (limit.pageSize() == null || !HugePageSizes.onThisMachine().contains(limit.pageSize())) {
                throw new InvalidResourcesException(
                        field + ".pageSize",
                        "\"" + limit.pageSize() + "\" is not a huge page size of this machine "
                                + HugePageSizes.onThisMachine());
            }
            if (limit.limit() == null) {
                throw new InvalidResourcesException(field + ".limit", "missing");
            }
            requireController(field, "hugetlb");
        }
    }

    private void network(Resources.Network network) {
        notOnV2(
                "network",
                layout.limitsOnV2()
                        && (network.classID() != null || !network.priorities().isEmpty()));
        if (network.classID() != null) {
            if (network.classID() < 0 || network.classID() > 0xFFFF_FFFFL) {
                throw new InvalidResourcesException("network.classID", network.classID() + " is not a 32-bit class id");
            }
            requireController("network.classID", "net_cls");
        }
        if (!network.priorities().isEmpty()) {
            requireController("network.priorities", "net_prio");
        }
    }

    private void devices(List<Resources.DeviceRule> rules) {
        for (int i = 0; i < rules.size(); i++) {
            Resources.DeviceRule rule = rules.get(i);
            String field = "devices[" + i + "]";
            if (rule.type() != null && !List.of("a", "c", "b").contains(rule.type())) {
                throw new InvalidResourcesException(field + ".type", "\"" + rule.type() + "\" is not a, c or b");
            }
            if (rule.access() != null && !rule.access().matches("[rwm]*")) {
                throw new InvalidResourcesException(
                        field + ".access", "\"" + rule.access() + "\" may only hold r, w and m");
            }
            for (Long number : new Long[] {rule.major(), rule.minor()}) {
                if (number != null && (number < -1 || number > 0xFFFF_FFFFL)) {
                    throw new InvalidResourcesException(field, number + " is not a device number");
                }
            }
        }
        if (!rules.isEmpty() && !layout.limitsOnV2()) {
            requireController("devices", "devices");
        }
    }

    private void unified(Map<String, String> unified) {
        if (unified.isEmpty()) {
            return;
        }
        if (!layout.limitsOnV2()) {
            throw new InvalidResourcesException(
                    "unified", "cgroup v2 files cannot be set on this machine's cgroup v1 controllers");
        }
        for (String key : unified.keySet()) {
            if (key.contains("/") || !key.contains(".") || CORE_FILES.contains(key)) {
                throw new InvalidResourcesException(
                        "unified." + key, "not a controller interface file a container may set");
            }
            String controller = key.substring(0, key.indexOf('.'));
            if (!controller.equals("cgroup") && !v2Controllers().contains(controller)) {
                throw new InvalidResourcesException(
                        "unified." + key, "the " + controller + " controller is not available " + v2Controllers());
            }
        }
    }

    private static void limit(String field, Long value) {
        if (value != null && value < UNLIMITED) {
            throw new InvalidResourcesException(field, value + " is negative; use -1 for unlimited");
        }
    }

    private void notOnV2(String field, boolean set) {
        if (set && layout.limitsOnV2()) {
            throw new InvalidResourcesException(field, "not supported on cgroup v2");
        }
    }

    private void requireController(String field, String v1Name) {
        String name = layout.limitsOnV2() ? v2Name(v1Name) : v1Name;
        boolean available = layout.limitsOnV2() ? v2Controllers().contains(name) : layout.hasV1(name);
        if (!available) {
            throw new InvalidResourcesException(field, "the " + name + " controller is not available on this machine");
        }
    }

    private static String v2Name(String v1Name) {
        return v1Name.equals("blkio") ? "io" : v1Name;
    }

    private List<String> v2Controllers() {
        return List.of(CgroupFiles.read(layout.unified(), "cgroup.controllers").split(" "));
    }

    private boolean hasV1File(String controller, String file) {
        return layout.hasV1(controller) && CgroupFiles.exists(layout.v1Mounts().get(controller), file);
    }
}
