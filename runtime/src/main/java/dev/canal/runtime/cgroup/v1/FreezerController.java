package dev.canal.runtime.cgroup.v1;

import dev.canal.runtime.cgroup.CgroupException;
import dev.canal.runtime.cgroup.CgroupFiles;
import java.nio.file.Path;

/**
 * The v1 freezer (Documentation/admin-guide/cgroup-v1/freezer-subsystem.rst). Writing FROZEN to
 * freezer.state starts freezing; the state reads FREEZING until every task has stopped, and a
 * task forked meanwhile can keep it there, so the write is repeated until it reads FROZEN (as
 * runc does). THAWED lets them run again.
 */
final class FreezerController {

    private static final int ATTEMPTS = 1000;

    private FreezerController() {}

    static void freeze(Path directory) {
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            CgroupFiles.write(directory, "freezer.state", "FROZEN");
            if (state(directory).equals("FROZEN")) {
                return;
            }
            sleepBriefly();
        }
        thaw(directory);
        throw new CgroupException(
                "freezing " + directory + ": still FREEZING after " + ATTEMPTS + " attempts; thawed again");
    }

    static void thaw(Path directory) {
        CgroupFiles.write(directory, "freezer.state", "THAWED");
    }

    static String state(Path directory) {
        return CgroupFiles.read(directory, "freezer.state");
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CgroupException("interrupted while freezing");
        }
    }
}
