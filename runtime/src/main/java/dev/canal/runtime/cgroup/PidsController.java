package dev.canal.runtime.cgroup;

import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;

/**
 * The pids controller, whose files are the same on cgroup v1 and v2
 * (Documentation/admin-guide/cgroup-v1/pids.rst, cgroup-v2.rst "PID"): fork(2) and clone(2)
 * fail with EAGAIN once pids.current would exceed pids.max, a number of tasks or "max". A spec
 * limit of 0 means unset (as in runc); -1 means unlimited.
 */
public final class PidsController extends ResourceController {

    public PidsController() {
        super("pids", resources -> resources.pids() != null && resources.pids().limit() != 0);
    }

    @Override
    public void apply(Resources resources, Path directory) {
        long limit = resources.pids().limit();
        CgroupFiles.write(directory, "pids.max", limit > 0 ? Long.toString(limit) : "max");
    }

    /** pids.current and pids.max, the limit 0 when unlimited as runc reports it. */
    public static CgroupStats.Pids stats(Path directory) {
        if (!CgroupFiles.exists(directory, "pids.current")) {
            return new CgroupStats.Pids(0, 0);
        }
        long limit = CgroupFiles.readLong(directory, "pids.max");
        return new CgroupStats.Pids(CgroupFiles.readLong(directory, "pids.current"), Math.max(limit, 0));
    }
}
