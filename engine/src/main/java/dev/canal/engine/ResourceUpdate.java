package dev.canal.engine;

import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docker update}'s rules for a container's resources (moby's container_unix.go
 * UpdateContainer): a field given replaces the container's, one left at zero (or, for the
 * device lists, empty; for PidsLimit, null) keeps it. {@link Engine#update} checks the update,
 * writes the merged limits into the cgroup of a running container and keeps them in its record,
 * so the next start has them too.
 */
public final class ResourceUpdate {

    private ResourceUpdate() {}

    /** The container's resources with {@code update} applied; refuses what docker refuses. */
    public static Resources merge(Resources current, Resources update) {
        ResourceRules.validateUpdate(current, update);
        Resources.Cpu cpu = current.cpu();
        Resources.Cpu newCpu = update.cpu();
        Resources.Memory memory = current.memory();
        Resources.Memory newMemory = update.memory();
        Resources.BlockIo blockIo = current.blockIo();
        Resources.BlockIo newBlockIo = update.blockIo();
        Resources merged = new Resources(
                new Resources.Cpu(
                        pick(newCpu.shares(), cpu.shares()),
                        pick(newCpu.nanoCpus(), cpu.nanoCpus()),
                        pick(newCpu.period(), cpu.period()),
                        pick(newCpu.quota(), cpu.quota()),
                        newCpu.cpus().isEmpty() ? cpu.cpus() : newCpu.cpus(),
                        newCpu.mems().isEmpty() ? cpu.mems() : newCpu.mems()),
                new Resources.Memory(
                        pick(newMemory.limit(), memory.limit()),
                        pick(newMemory.swap(), memory.swap()),
                        pick(newMemory.reservation(), memory.reservation()),
                        memory.oomKillDisable()),
                update.pidsLimit() != null ? update.pidsLimit() : current.pidsLimit(),
                new Resources.BlockIo(
                        (int) pick(newBlockIo.weight(), blockIo.weight()),
                        newBlockIo.weightDevices().isEmpty() ? blockIo.weightDevices() : newBlockIo.weightDevices(),
                        newBlockIo.readBps().isEmpty() ? blockIo.readBps() : newBlockIo.readBps(),
                        newBlockIo.writeBps().isEmpty() ? blockIo.writeBps() : newBlockIo.writeBps(),
                        newBlockIo.readIops().isEmpty() ? blockIo.readIops() : newBlockIo.readIops(),
                        newBlockIo.writeIops().isEmpty() ? blockIo.writeIops() : newBlockIo.writeIops()),
                current.ulimits(),
                current.shmSize());
        ResourceRules.validate(merged);
        return merged;
    }

    /**
     * The {@code linux.resources} to write into a running container's cgroup: all of the merged
     * limits, and an explicit "no pids limit" when the update lifted it (0 or -1), since the
     * config leaves an unlimited field out.
     */
    public static ObjectNode cgroupUpdate(Resources merged, Resources update, boolean limitSwap) {
        ObjectNode json = CgroupResources.json(merged, limitSwap);
        if (update.pidsLimit() != null && update.pidsLimit() <= 0) {
            json.putObject("pids").put("limit", -1);
        }
        return json;
    }

    private static long pick(long given, long current) {
        return given != 0 ? given : current;
    }
}
