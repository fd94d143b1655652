package dev.canal.runtime.cgroup.v1;

import static dev.canal.runtime.cgroup.CgroupFiles.read;
import static dev.canal.runtime.cgroup.CgroupFiles.write;

import dev.canal.runtime.cgroup.ResourceController;
import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;

/**
 * The v1 cpuset controller (Documentation/admin-guide/cgroup-v1/cpusets.rst): the CPUs and
 * memory nodes the tasks may use, in list format ("0-3,6").
 *
 * <p>A new v1 cpuset starts with empty cpuset.cpus and cpuset.mems, and the kernel refuses to
 * move a task into it (ENOSPC) until both are set. So every cpuset directory Canal creates gets
 * its parent's values first ({@link #inheritFromParent}), as runc's ensureParent does.
 */
final class CpusetController implements ResourceController {

    @Override
    public String name() {
        return "cpuset";
    }

    @Override
    public boolean isNeeded(Resources resources) {
        return resources.cpu() != null && (resources.cpu().cpus() != null || resources.cpu().mems() != null);
    }

    @Override
    public void apply(Resources resources, Path directory) {
        if (resources.cpu().cpus() != null) {
            write(directory, "cpuset.cpus", resources.cpu().cpus());
        }
        if (resources.cpu().mems() != null) {
            write(directory, "cpuset.mems", resources.cpu().mems());
        }
    }

    /** Copies cpuset.cpus and cpuset.mems from the parent of a just-created {@code directory} where they are empty. */
    static void inheritFromParent(Path directory) {
        for (String file : new String[] {"cpuset.cpus", "cpuset.mems"}) {
            if (read(directory, file).isEmpty()) {
                write(directory, file, read(directory.getParent(), file));
            }
        }
    }
}
