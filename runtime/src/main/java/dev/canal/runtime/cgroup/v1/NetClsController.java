package dev.canal.runtime.cgroup.v1;

import dev.canal.runtime.cgroup.CgroupFiles;
import dev.canal.runtime.cgroup.ResourceController;
import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;

/**
 * The v1 net_cls controller (Documentation/admin-guide/cgroup-v1/net_cls.rst): tags the
 * packets of the cgroup's sockets with a class id (0xAAAABBBB is tc class AAAA:BBBB) that
 * tc(8) filters and iptables' cgroup match can use. cgroup v2 has no equivalent file.
 */
final class NetClsController extends ResourceController {

    NetClsController() {
        super(
                "net_cls",
                resources -> resources.network() != null && resources.network().classID() != null);
    }

    @Override
    public void apply(Resources resources, Path directory) {
        CgroupFiles.write(
                directory, "net_cls.classid", Long.toString(resources.network().classID()));
    }
}
