package dev.canal.runtime.cgroup.v2;

import static dev.canal.runtime.cgroup.CgroupFiles.readLong;
import static dev.canal.runtime.cgroup.CgroupFiles.readLongIfPresent;
import static dev.canal.runtime.cgroup.CgroupFiles.write;

import dev.canal.runtime.cgroup.CgroupException;
import dev.canal.runtime.cgroup.CgroupFiles;
import dev.canal.runtime.cgroup.CgroupStats;
import dev.canal.runtime.cgroup.ResourceController;
import dev.canal.runtime.cgroup.ResourceNeeds;
import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;
import java.util.Map;

/**
 * The v2 memory controller (cgroup-v2.rst "Memory"): memory.max is the hard limit (over it the
 * OOM killer runs in the cgroup), memory.low a best-effort protection (the spec's reservation),
 * memory.swap.max swap alone. The spec's swap is memory plus swap, as on v1, so
 * memory.swap.max = swap - limit (runc's ConvertMemorySwapToCgroupV2Value).
 */
final class MemoryController extends ResourceController {

    MemoryController() {
        super("memory", ResourceNeeds::memory);
    }

    @Override
    public void apply(Resources resources, Path directory) {
        Resources.Memory memory = resources.memory();
        Long swap = swapOnly(memory.limit(), memory.swap());
        if (swap != null && CgroupFiles.exists(directory, "memory.swap.max")) {
            write(directory, "memory.swap.max", bytes(swap));
        }
        if (memory.limit() != null) {
            if (Boolean.TRUE.equals(memory.checkBeforeUpdate())
                    && memory.limit() > 0
                    && readLong(directory, "memory.current") > memory.limit()) {
                throw new CgroupException("linux.resources.memory.limit: " + memory.limit() + " is below the "
                        + readLong(directory, "memory.current") + " bytes the cgroup uses now (checkBeforeUpdate)");
            }
            write(directory, "memory.max", bytes(memory.limit()));
        }
        if (memory.reservation() != null) {
            write(directory, "memory.low", bytes(memory.reservation()));
        }
    }

    private static Long swapOnly(Long limit, Long swap) {
        if (limit != null && limit == -1 && (swap == null || swap == 0)) {
            return -1L; // unlimited memory with swap unset: lift both, as runc does
        }
        if (swap == null || swap == 0) {
            return null;
        }
        return swap == -1 ? -1 : swap - limit;
    }

    private static String bytes(long value) {
        return value == -1 ? "max" : Long.toString(value);
    }

    /** memory.events' oom_kill: processes the OOM killer killed in this cgroup (and below it). */
    static long oomKillCount(Path directory) {
        return CgroupFiles.readKeyed(directory, "memory.events").getOrDefault("oom_kill", 0L);
    }

    static CgroupStats.Memory stats(Path directory) {
        if (!CgroupFiles.exists(directory, "memory.current")) {
            return new CgroupStats.Memory(
                    0,
                    CgroupStats.MemoryEntry.NONE,
                    CgroupStats.MemoryEntry.NONE,
                    CgroupStats.MemoryEntry.NONE,
                    CgroupStats.MemoryEntry.NONE,
                    Map.of());
        }
        Map<String, Long> raw = CgroupFiles.readKeyed(directory, "memory.stat");
        long limitHits = CgroupFiles.readKeyed(directory, "memory.events").getOrDefault("max", 0L);
        var usage = new CgroupStats.MemoryEntry(
                readLong(directory, "memory.max"),
                readLong(directory, "memory.current"),
                readLongIfPresent(directory, "memory.peak"),
                limitHits);
        var swap = CgroupFiles.exists(directory, "memory.swap.current")
                ? new CgroupStats.MemoryEntry(
                        readLong(directory, "memory.swap.max"),
                        readLong(directory, "memory.swap.current"),
                        readLongIfPresent(directory, "memory.swap.peak"),
                        0)
                : CgroupStats.MemoryEntry.NONE;
        return new CgroupStats.Memory(
                raw.getOrDefault("file", 0L),
                usage,
                swap,
                CgroupStats.MemoryEntry.NONE,
                CgroupStats.MemoryEntry.NONE,
                raw);
    }
}
