package dev.canal.runtime.cgroup;

import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;

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
}
