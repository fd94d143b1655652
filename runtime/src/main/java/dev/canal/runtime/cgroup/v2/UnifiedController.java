package dev.canal.runtime.cgroup.v2;

import dev.canal.runtime.cgroup.CgroupFiles;
import dev.canal.runtime.cgroup.ResourceController;
import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code linux.resources.unified} (config-linux.md#unified): v2 interface files written as given,
 * after every typed field, so a key such as "memory.high" can set what the typed fields cannot.
 */
final class UnifiedController extends ResourceController {

    UnifiedController() {
        super("unified", resources -> !resources.unified().isEmpty());
    }

    @Override
    public void apply(Resources resources, Path directory) {
        for (Map.Entry<String, String> file : resources.unified().entrySet()) {
            CgroupFiles.write(directory, file.getKey(), file.getValue());
        }
    }
}
