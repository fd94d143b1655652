package dev.canal.runtime.cgroup.v2;

import dev.canal.runtime.cgroup.CgroupFiles;
import dev.canal.runtime.cgroup.CgroupStats;
import dev.canal.runtime.cgroup.HugePageSizes;
import dev.canal.runtime.cgroup.ResourceController;
import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** The v2 hugetlb controller (cgroup-v2.rst "HugeTLB"): hugetlb.&lt;size&gt;.max per huge page size. */
final class HugetlbController implements ResourceController {

    @Override
    public String name() {
        return "hugetlb";
    }

    @Override
    public boolean isNeeded(Resources resources) {
        return !resources.hugepageLimits().isEmpty();
    }

    @Override
    public void apply(Resources resources, Path directory) {
        for (Resources.HugepageLimit limit : resources.hugepageLimits()) {
            CgroupFiles.write(directory, "hugetlb." + limit.pageSize() + ".max", Long.toUnsignedString(limit.limit()));
        }
    }

    /** hugetlb.&lt;size&gt;.current, and the "max" count of hugetlb.&lt;size&gt;.events as failcnt. */
    static Map<String, CgroupStats.Hugetlb> stats(Path directory) {
        var sizes = new TreeMap<String, CgroupStats.Hugetlb>();
        for (String size : HugePageSizes.onThisMachine()) {
            String prefix = "hugetlb." + size + ".";
            if (CgroupFiles.exists(directory, prefix + "current")) {
                long failures = CgroupFiles.readKeyed(directory, prefix + "events").getOrDefault("max", 0L);
                sizes.put(size, new CgroupStats.Hugetlb(CgroupFiles.readLong(directory, prefix + "current"),
                        CgroupFiles.readLongIfPresent(directory, prefix + "max"), failures));
            }
        }
        return sizes;
    }
}
