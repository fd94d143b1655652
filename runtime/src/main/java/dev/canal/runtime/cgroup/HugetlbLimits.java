package dev.canal.runtime.cgroup;

import dev.canal.runtime.oci.Resources;
import java.nio.file.Path;

/**
 * The hugetlb controller's limits: one file per huge page size, the size spelled "2MB", "1GB".
 * The two versions differ only in the file's last part: hugetlb.2MB.limit_in_bytes on v1
 * (Documentation/admin-guide/cgroup-v1/hugetlb.rst), hugetlb.2MB.max on v2 (cgroup-v2.rst
 * "HugeTLB"); each version's {@code HugetlbController} names it and reads the counters.
 */
public final class HugetlbLimits extends ResourceController {

    private final String limitSuffix;

    /** {@code limitSuffix}: what follows "hugetlb.&lt;size&gt;." in the limit file's name. */
    public HugetlbLimits(String limitSuffix) {
        super("hugetlb", resources -> !resources.hugepageLimits().isEmpty());
        this.limitSuffix = limitSuffix;
    }

    @Override
    public void apply(Resources resources, Path directory) {
        for (Resources.HugepageLimit limit : resources.hugepageLimits()) {
            CgroupFiles.write(
                    directory, "hugetlb." + limit.pageSize() + "." + limitSuffix, Long.toUnsignedString(limit.limit()));
        }
    }
}
