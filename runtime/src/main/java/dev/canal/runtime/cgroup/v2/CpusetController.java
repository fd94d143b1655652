package dev.canal.runtime.cgroup.v2;

import dev.canal.runtime.cgroup.CgroupFiles;
import dev.canal.runtime.cgroup.ResourceController;
import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;

/**
 * The v2 cpuset controller (cgroup-v2.rst "Cpuset"): cpuset.cpus and cpuset.mems in list format.
 * Unlike v1, an empty file means "whatever the parent has", so no copying is needed first.
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
            CgroupFiles.write(directory, "cpuset.cpus", resources.cpu().cpus());
        }
        if (resources.cpu().mems() != null) {
            CgroupFiles.write(directory, "cpuset.mems", resources.cpu().mems());
        }
    }
}
