package dev.canal.runtime.cgroup.v1;

import static dev.canal.runtime.cgroup.CgroupFiles.readLong;

import dev.canal.runtime.cgroup.CgroupFiles;
import dev.canal.runtime.cgroup.CgroupStats;
import dev.canal.runtime.cgroup.HugePageSizes;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The v1 hugetlb files (Documentation/admin-guide/cgroup-v1/hugetlb.rst): the limit is
 * hugetlb.&lt;size&gt;.limit_in_bytes, written by the shared {@link dev.canal.runtime.cgroup.HugetlbLimits}.
 */
final class HugetlbController {

    /** The limit file is hugetlb.&lt;size&gt;.limit_in_bytes. */
    static final String LIMIT_SUFFIX = "limit_in_bytes";

    private HugetlbController() {}

    static Map<String, CgroupStats.Hugetlb> stats(Path directory) {
        var sizes = new TreeMap<String, CgroupStats.Hugetlb>();
        for (String size : HugePageSizes.onThisMachine()) {
            String prefix = "hugetlb." + size + ".";
            if (CgroupFiles.exists(directory, prefix + "usage_in_bytes")) {
                sizes.put(
                        size,
                        new CgroupStats.Hugetlb(
                                readLong(directory, prefix + "usage_in_bytes"),
                                readLong(directory, prefix + "max_usage_in_bytes"),
                                readLong(directory, prefix + "failcnt")));
            }
        }
        return sizes;
    }
}
