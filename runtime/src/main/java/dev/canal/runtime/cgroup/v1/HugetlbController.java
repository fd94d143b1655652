package dev.canal.runtime.cgroup.v1;

import static dev.canal.runtime.cgroup.CgroupFiles.readLong;

import dev.canal.runtime.cgroup.CgroupFiles;
import dev.canal.runtime.cgroup.CgroupStats;
import dev.canal.runtime.cgroup.HugePageSizes;
import dev.canal.runtime.cgroup.ResourceController;
import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The v1 hugetlb controller (Documentation/admin-guide/cgroup-v1/hugetlb.rst): one
 * hugetlb.&lt;size&gt;.limit_in_bytes per huge page size, the size spelled "2MB", "1GB".
 */
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
            CgroupFiles.write(directory, "hugetlb." + limit.pageSize() + ".limit_in_bytes", Long.toUnsignedString(limit.limit()));
        }
    }

    static Map<String, CgroupStats.Hugetlb> stats(Path directory) {
        var sizes = new TreeMap<String, CgroupStats.Hugetlb>();
        for (String size : HugePageSizes.onThisMachine()) {
            String prefix = "hugetlb." + size + ".";
            if (CgroupFiles.exists(directory, prefix + "usage_in_bytes")) {
                sizes.put(size, new CgroupStats.Hugetlb(readLong(directory, prefix + "usage_in_bytes"),
                        readLong(directory, prefix + "max_usage_in_bytes"), readLong(directory, prefix + "failcnt")));
            }
        }
        return sizes;
    }
}
