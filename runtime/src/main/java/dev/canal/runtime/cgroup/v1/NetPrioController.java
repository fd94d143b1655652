package dev.canal.runtime.cgroup.v1;

import dev.canal.runtime.cgroup.CgroupFiles;
import dev.canal.runtime.cgroup.ResourceController;
import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;

/**
 * The v1 net_prio controller (Documentation/admin-guide/cgroup-v1/net_prio.rst): the priority
 * (SO_PRIORITY) of traffic the cgroup sends through each interface, one "interface priority"
 * line per write to net_prio.ifpriomap.
 */
final class NetPrioController extends ResourceController {

    NetPrioController() {
        super(
                "net_prio",
                resources -> resources.network() != null
                        && !resources.network().priorities().isEmpty());
    }

    @Override
    public void apply(Resources resources, Path directory) {
        for (Resources.InterfacePriority priority : resources.network().priorities()) {
            CgroupFiles.write(directory, "net_prio.ifpriomap", priority.name() + " " + priority.priority());
        }
    }
}
