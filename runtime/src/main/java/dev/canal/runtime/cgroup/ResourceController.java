package dev.canal.runtime.cgroup;

import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One controller's share of {@code linux.resources}: which fields it owns and which interface
 * files it writes for them. Each version has its own subclass per controller (v1/, v2/) where
 * the files differ, so "what does Canal write for memory.limit on v2?" is answered in one file;
 * controllers whose files are the same on both versions (cpuset, pids, rdma, hugetlb) live here.
 */
public abstract class ResourceController {

    private final String name;
    private final Predicate<Resources> need;

    /**
     * {@code name}: the controller as the kernel spells it ("memory", "io", "blkio");
     * {@code need}: whether a spec sets any field it owns (often a {@link ResourceNeeds} method).
     */
    protected ResourceController(String name, Predicate<Resources> need) {
        this.name = name;
        this.need = need;
    }

    /** The controller's name as the kernel spells it. */
    public final String name() {
        return name;
    }

    /** Whether {@code resources} sets any field this controller owns. */
    public final boolean isNeeded(Resources resources) {
        return need.test(resources);
    }

    /** Writes the set fields of {@code resources} into the cgroup directory {@code directory}. */
    public abstract void apply(Resources resources, Path directory);

    /**
     * Applies each of {@code controllers} that {@code resources} needs, in the list's order, in
     * the directory {@code directoryOf} gives for the controller's name (one per hierarchy on v1,
     * the same one for all on v2).
     */
    public static void applyNeeded(
            List<ResourceController> controllers, Resources resources, Function<String, Path> directoryOf) {
        for (ResourceController controller : controllers) {
            if (controller.isNeeded(resources)) {
                controller.apply(resources, directoryOf.apply(controller.name()));
            }
        }
    }
}
