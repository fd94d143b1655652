package dev.canal.runtime.cgroup.v2;

import dev.canal.runtime.cgroup.CgroupException;
import dev.canal.runtime.cgroup.CgroupFiles;
import java.nio.file.Path;

/**
 * Freezing on v2 is part of the cgroup core, not a controller (cgroup-v2.rst "Core Interface
 * Files"): writing 1 to cgroup.freeze asks every task to stop, and cgroup.events reads
 * "frozen 1" once they all have. Writing 0 thaws.
 */
final class FreezerController {

    private static final int ATTEMPTS = 2000;

    private FreezerController() {}

    static void freeze(Path directory) {
        CgroupFiles.write(directory, "cgroup.freeze", "1");
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            if (isFrozen(directory)) {
                return;
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        thaw(directory);
        throw new CgroupException("freezing " + directory + ": cgroup.events never read \"frozen 1\"; thawed again");
    }

    static void thaw(Path directory) {
        CgroupFiles.write(directory, "cgroup.freeze", "0");
    }

    static boolean isFrozen(Path directory) {
        return CgroupFiles.readKeyed(directory, "cgroup.events").getOrDefault("frozen", 0L) == 1;
    }
}
