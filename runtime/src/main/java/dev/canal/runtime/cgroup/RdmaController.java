package dev.canal.runtime.cgroup;

import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;
import java.util.Map;

/**
 * The rdma controller, the same file on cgroup v1 and v2 (Documentation/admin-guide/cgroup-v1/rdma.rst):
 * one rdma.max line per device, {@code mlx4_0 hca_handle=2 hca_object=2000}.
 */
public final class RdmaController extends ResourceController {

    public RdmaController() {
        super("rdma", resources -> !resources.rdma().isEmpty());
    }

    @Override
    public void apply(Resources resources, Path directory) {
        for (Map.Entry<String, Resources.Rdma> device : resources.rdma().entrySet()) {
            var line = new StringBuilder(device.getKey());
            if (device.getValue().hcaHandles() != null) {
                line.append(" hca_handle=").append(device.getValue().hcaHandles());
            }
            if (device.getValue().hcaObjects() != null) {
                line.append(" hca_object=").append(device.getValue().hcaObjects());
            }
            CgroupFiles.write(directory, "rdma.max", line.toString());
        }
    }
}
