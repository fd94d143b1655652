package dev.canal.runtime.cgroup;

import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;

/**
 * The cpuset controller, whose files are the same on cgroup v1 and v2
 * (Documentation/admin-guide/cgroup-v1/cpusets.rst, cgroup-v2.rst "Cpuset"): the CPUs and memory
 * nodes the tasks may use, cpuset.cpus and cpuset.mems in list format ("0-3,6"). On v2 an empty
 * file means "whatever the parent has"; a new v1 cpuset must be filled from its parent first
 * ({@code v1/CpusetInheritance}).
 */
public final class CpusetController extends ResourceController {

    public CpusetController() {
        super(
                "cpuset",
                resources -> resources.cpu() != null
                        && (resources.cpu().cpus() != null || resources.cpu().mems() != null));
    }

    @Override
    public void apply(Resources resources, Path directory) {
        if (resources.cpu().cpus() != null) {
            CgroupFiles.write(directory, "cpuset.cpus", resources.cpu().cpus());
        }
        if (resources.cpu().mems() != null) {
            CgroupFiles.write(directory, "cpuset.mems", resources.cpu().mems());
        }
    }
}
