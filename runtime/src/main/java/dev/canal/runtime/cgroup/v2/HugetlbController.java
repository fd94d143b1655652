package dev.canal.runtime.cgroup.v2;

import dev.canal.runtime.cgroup.CgroupFiles;
import dev.canal.runtime.cgroup.CgroupStats;
import dev.canal.runtime.cgroup.HugePageSizes;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The v2 hugetlb files (cgroup-v2.rst "HugeTLB"): the limit is hugetlb.&lt;size&gt;.max, written
 * by the shared {@link dev.canal.runtime.cgroup.HugetlbLimits}.
 */
final class HugetlbController {

    /** The limit file is hugetlb.&lt;size&gt;.max. */
    static final String LIMIT_SUFFIX = "max";

    private HugetlbController() {}

    /** hugetlb.&lt;size&gt;.current, and the "max" count of hugetlb.&lt;size&gt;.events as failcnt. */
    static Map<String, CgroupStats.Hugetlb> stats(Path directory) {
        var sizes = new TreeMap<String, CgroupStats.Hugetlb>();
        for (String size : HugePageSizes.onThisMachine()) {
            String prefix = "hugetlb." + size + ".";
            if (CgroupFiles.exists(directory, prefix + "current")) {
                long failures =
                        CgroupFiles.readKeyed(directory, prefix + "events").getOrDefault("max", 0L);
                sizes.put(
                        size,
                        new CgroupStats.Hugetlb(
                                CgroupFiles.readLong(directory, prefix + "current"),
                                CgroupFiles.readLongIfPresent(directory, prefix + "max"),
                                failures));
            }
        }
        return sizes;
    }
}
