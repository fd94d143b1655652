package dev.canal.engine;

import java.util.List;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A container's {@link Resources} as the OCI config's {@code linux.resources}
 * (config-linux.md#control-groups), as moby's daemon/oci_linux.go and update_linux.go write
 * them: the runtime then writes the v1 files or their v2 counterparts (cpu.shares becomes
 * cpu.weight, the throttles io.max lines). The device list is not part of it
 * ({@link ContainerConfig} adds it).
 */
public final class CgroupResources {

    /** docker's --cpus period: 100 ms, in microseconds. */
    public static final long CPU_PERIOD = 100_000;

    private static final long NANOS_PER_CPU = 1_000_000_000L;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private CgroupResources() {}

    /**
     * The limits set in {@code resources}; a field left at zero is left out, so the cgroup
     * keeps its default. {@code limitSwap}: whether the host accounts swap (always on v2, on v1
     * with swapaccount=1), else memory plus swap cannot be limited and docker drops it.
     */
    public static ObjectNode json(Resources resources, boolean limitSwap) {
        ObjectNode json = JSON.createObjectNode();
        memory(json, resources.memory(), limitSwap);
        cpu(json, resources.cpu());
        Long pids = resources.pidsLimit();
        if (pids != null && pids > 0) {
            json.putObject("pids").put("limit", pids);
        }
        blockIo(json, resources.blockIo());
        return json;
    }

    private static void memory(ObjectNode json, Resources.Memory memory, boolean limitSwap) {
        ObjectNode node = JSON.createObjectNode();
        if (memory.limit() > 0) {
            node.put("limit", memory.limit());
            if (limitSwap && memory.swap() != 0) {
                node.put("swap", memory.swap());
            }
        }
        if (memory.reservation() > 0) {
            node.put("reservation", memory.reservation());
        }
        // memory.oom_control on v1; v2 has no such switch, and the runtime leaves it out there.
        if (memory.oomKillDisable()) {
            node.put("disableOOMKiller", true);
        }
        if (!node.isEmpty()) {
            json.set("memory", node);
        }
    }

    /** {@code --cpus N} is a quota of N periods of CPU time per 100 ms period (sched-bwc.rst). */
    private static void cpu(ObjectNode json, Resources.Cpu cpu) {
        ObjectNode node = JSON.createObjectNode();
        if (cpu.shares() > 0) {
            node.put("shares", cpu.shares());
        }
        if (cpu.nanoCpus() > 0) {
            node.put("quota", cpu.nanoCpus() * CPU_PERIOD / NANOS_PER_CPU).put("period", CPU_PERIOD);
        } else {
            if (cpu.quota() != 0) {
                node.put("quota", cpu.quota());
            }
            if (cpu.period() > 0) {
                node.put("period", cpu.period());
            }
        }
        if (!cpu.cpus().isEmpty()) {
            node.put("cpus", cpu.cpus());
        }
        if (!cpu.mems().isEmpty()) {
            node.put("mems", cpu.mems());
        }
        if (!node.isEmpty()) {
            json.set("cpu", node);
        }
    }

    private static void blockIo(ObjectNode json, Resources.BlockIo blockIo) {
        ObjectNode node = JSON.createObjectNode();
        if (blockIo.weight() > 0) {
            node.put("weight", blockIo.weight());
        }
        if (!blockIo.weightDevices().isEmpty()) {
            ArrayNode devices = node.putArray("weightDevice");
            for (Resources.WeightDevice device : blockIo.weightDevices()) {
                BlockDevice numbers = BlockDevice.of(device.path(), "--blkio-weight-device");
                devices.addObject()
                        .put("major", numbers.major())
                        .put("minor", numbers.minor())
                        .put("weight", device.weight());
            }
        }
        throttles(node, "throttleReadBpsDevice", "--device-read-bps", blockIo.readBps());
        throttles(node, "throttleWriteBpsDevice", "--device-write-bps", blockIo.writeBps());
        throttles(node, "throttleReadIOPSDevice", "--device-read-iops", blockIo.readIops());
        throttles(node, "throttleWriteIOPSDevice", "--device-write-iops", blockIo.writeIops());
        if (!node.isEmpty()) {
            json.set("blockIO", node);
        }
    }

    private static void throttles(
            ObjectNode blockIo, String field, String option, List<Resources.ThrottleDevice> throttles) {
        if (throttles.isEmpty()) {
            return;
        }
        ArrayNode devices = blockIo.putArray(field);
        for (Resources.ThrottleDevice throttle : throttles) {
            BlockDevice numbers = BlockDevice.of(throttle.path(), option);
            devices.addObject()
                    .put("major", numbers.major())
                    .put("minor", numbers.minor())
                    .put("rate", throttle.rate());
        }
    }
}
