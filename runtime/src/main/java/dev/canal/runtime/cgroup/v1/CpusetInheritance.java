package dev.canal.runtime.cgroup.v1;

import static dev.canal.runtime.cgroup.CgroupFiles.read;
import static dev.canal.runtime.cgroup.CgroupFiles.write;

import java.nio.file.Path;

/**
 * What v1 cpusets need beyond the files the shared {@link dev.canal.runtime.cgroup.CpusetController}
 * writes (Documentation/admin-guide/cgroup-v1/cpusets.rst). A new v1 cpuset starts with empty
 * cpuset.cpus and cpuset.mems, and the kernel refuses to move a task into it (ENOSPC) until both
 * are set. So every cpuset directory Canal creates gets its parent's values first
 * ({@link #fromParent}), as runc's ensureParent does.
 */
final class CpusetInheritance {

    private CpusetInheritance() {}

    /** Copies cpuset.cpus and cpuset.mems from the parent of a just-created {@code directory} where they are empty. */
    static void fromParent(Path directory) {
        for (String file : new String[] {"cpuset.cpus", "cpuset.mems"}) {
            if (read(directory, file).isEmpty()) {
                write(directory, file, read(directory.getParent(), file));
            }
        }
    }
}
