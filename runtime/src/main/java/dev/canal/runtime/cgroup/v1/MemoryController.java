package dev.canal.runtime.cgroup.v1;

import static dev.canal.runtime.cgroup.CgroupFiles.exists;
import static dev.canal.runtime.cgroup.CgroupFiles.readLong;
import static dev.canal.runtime.cgroup.CgroupFiles.readLongIfPresent;
import static dev.canal.runtime.cgroup.CgroupFiles.write;

import dev.canal.runtime.cgroup.CgroupFiles;
import dev.canal.runtime.cgroup.CgroupStats;
import dev.canal.runtime.cgroup.ResourceController;
import dev.canal.runtime.cgroup.ResourceNeeds;
import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;
import java.util.Map;

/**
 * The v1 memory controller (Documentation/admin-guide/cgroup-v1/memory.rst). Limits are bytes;
 * "-1" means unlimited. {@code kernel} is not written, as runc has not since 1.0: Linux 5.4
 * deprecated memory.kmem.limit_in_bytes, 5.16 refused writes (EOPNOTSUPP), and later kernels
 * accept a write and ignore it.
 */
final class MemoryController extends ResourceController {

    static final String LIMIT = "memory.limit_in_bytes";
    static final String MEMORY_AND_SWAP = "memory.memsw.limit_in_bytes";

    MemoryController() {
        super("memory", ResourceNeeds::memory);
    }

    @Override
    public void apply(Resources resources, Path directory) {
        Resources.Memory memory = resources.memory();
        setLimitAndSwap(memory.limit(), memory.swap(), directory);
        if (memory.reservation() != null) {
            write(directory, "memory.soft_limit_in_bytes", Long.toString(memory.reservation()));
        }
        if (memory.kernelTCP() != null) {
            write(directory, "memory.kmem.tcp.limit_in_bytes", Long.toString(memory.kernelTCP()));
        }
        if (memory.swappiness() != null && memory.swappiness() != -1) {
            write(directory, "memory.swappiness", Long.toString(memory.swappiness()));
        }
        if (memory.disableOOMKiller() != null) {
            // memory.oom_control: "1" makes tasks that hit the limit wait for memory instead of being killed.
            write(directory, "memory.oom_control", memory.disableOOMKiller() ? "1" : "0");
        }
    }

    /**
     * memory.memsw.limit_in_bytes (memory plus swap) may never be below memory.limit_in_bytes,
     * and the kernel checks that on each write, so the order of the two writes depends on
     * whether the limits grow or shrink (runc's setMemoryAndSwap).
     */
    private static void setLimitAndSwap(Long limit, Long swap, Path directory) {
        if (limit != null && limit == -1 && swap == null && exists(directory, MEMORY_AND_SWAP)) {
            swap = -1L; // unlimited memory with swap unset: lift both, as runc does
        }
        boolean swapFirst = swap != null
                && limit != null
                && (swap == -1 || Long.compareUnsigned(readLong(directory, LIMIT), swap) < 0);
        if (swapFirst) {
            write(directory, MEMORY_AND_SWAP, Long.toString(swap));
        }
        if (limit != null) {
            write(directory, LIMIT, Long.toString(limit));
        }
        if (swap != null && !swapFirst) {
            write(directory, MEMORY_AND_SWAP, Long.toString(swap));
        }
    }

    /** memory.oom_control's oom_kill counter (Linux 4.13+): processes the OOM killer killed here. */
    static long oomKillCount(Path directory) {
        return CgroupFiles.readKeyed(directory, "memory.oom_control").getOrDefault("oom_kill", 0L);
    }

    static CgroupStats.Memory stats(Path directory) {
        Map<String, Long> raw = CgroupFiles.readKeyed(directory, "memory.stat");
        return new CgroupStats.Memory(
                raw.getOrDefault("cache", 0L),
                entry(directory, "memory."),
                entry(directory, "memory.memsw."),
                entry(directory, "memory.kmem."),
                entry(directory, "memory.kmem.tcp."),
                raw);
    }

    private static CgroupStats.MemoryEntry entry(Path directory, String prefix) {
        if (!exists(directory, prefix + "usage_in_bytes")) {
            return CgroupStats.MemoryEntry.NONE;
        }
        return new CgroupStats.MemoryEntry(
                readLong(directory, prefix + "limit_in_bytes"),
                readLong(directory, prefix + "usage_in_bytes"),
                readLong(directory, prefix + "max_usage_in_bytes"),
                readLongIfPresent(directory, prefix + "failcnt"));
    }
}
