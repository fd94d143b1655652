package dev.canal.runtime.cgroup;

import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * One controller's share of {@code linux.resources}: which fields it owns and which interface
 * files it writes for them. Each version has its own implementation per controller (v1/, v2/),
 * so "what does Canal write for memory.limit on v2?" is answered in one file.
 */
public interface ResourceController {

    /** The controller's name as the kernel spells it ("memory", "io", "blkio"). */
    String name();

    /** Whether {@code resources} sets any field this controller owns. */
    boolean isNeeded(Resources resources);

    /** Writes the set fields of {@code resources} into the cgroup directory {@code directory}. */
    void apply(Resources resources, Path directory);

    /**
     * Applies each of {@code controllers} that {@code resources} needs, in the list's order, in
     * the directory {@code directoryOf} gives for the controller's name (one per hierarchy on v1,
     * the same one for all on v2).
     */
    static void applyNeeded(List<ResourceController> controllers, Resources resources, Function<String, Path> directoryOf) {
        for (ResourceController controller : controllers) {
            if (controller.isNeeded(resources)) {
                controller.apply(resources, directoryOf.apply(controller.name()));
            }
        }
    }
}
