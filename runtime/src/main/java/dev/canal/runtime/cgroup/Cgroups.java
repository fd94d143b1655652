package dev.canal.runtime.cgroup;

import dev.canal.runtime.cgroup.v1.V1Manager;
import dev.canal.runtime.cgroup.v2.V2Manager;
import dev.canal.runtime.oci.Resources;
import java.util.function.Consumer;

/**
 * Where the runtime gets a container's {@link Cgroup}: the version is chosen by the machine's
 * {@link CgroupLayout}, cgroup v2 on a pure v2 machine and the v1 controllers otherwise (hybrid
 * machines included, as runc does).
 */
public final class Cgroups {

    private Cgroups() {}

    /**
     * Validates {@code resources}, creates the cgroup for {@code cgroupsPath} (see
     * {@link CgroupPath#resolve}) and writes the limits. Nothing is left behind on failure.
     *
     * @throws InvalidResourcesException or IllegalArgumentException naming the bad field, before anything is created
     * @throws CgroupException when the kernel refuses a directory or a value
     */
    public static Cgroup create(CgroupLayout layout, String cgroupsPath, String containerId, Resources resources) {
        return create(layout, cgroupsPath, containerId, resources, made -> {});
    }

    /**
     * {@link #create}, running {@code beforeLimits} once the cgroup's directories exist and
     * before any limit is written: what must happen inside the cgroup while nothing limits it
     * yet (see {@link dev.canal.runtime.ns.CgroupNamespaceRoot}).
     */
    public static Cgroup create(
            CgroupLayout layout,
            String cgroupsPath,
            String containerId,
            Resources resources,
            Consumer<Cgroup> beforeLimits) {
        Resources limits = resources == null ? emptyResources() : resources;
        String path = CgroupPath.resolve(cgroupsPath, containerId);
        return layout.limitsOnV2()
                ? V2Manager.create(layout.unified(), path, limits, beforeLimits)
                : V1Manager.create(layout, path, limits, beforeLimits);
    }

    /** The existing cgroup at absolute {@code path} (what {@link Cgroup#path()} returned), for a later process. */
    public static Cgroup open(CgroupLayout layout, String path) {
        return layout.limitsOnV2() ? V2Manager.at(layout.unified(), path) : V1Manager.at(layout, path);
    }

    /** Whether Canal writes the limits of controller {@code name} ("rdma") on both cgroup versions. */
    public static boolean limitsController(String name) {
        return V1Manager.controllerNames().contains(name)
                && V2Manager.controllerNames().contains(name);
    }

    private static Resources emptyResources() {
        return new Resources(null, null, null, null, null, null, null, null, null, null);
    }
}
