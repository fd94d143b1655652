package dev.canal.runtime.cgroup;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The cgroup v2 checks run inside the VM of scripts/cgroup-v2-vm (by CgroupV2VmTest), where
 * cgroup2 is the only hierarchy. Java runs 30-40x slower there, so this is a plain main over a
 * few of {@link CgroupChecks}, printing "PASS name" or "FAIL name: why" per check and exiting 1
 * if any failed.
 */
public final class CgroupV2VmChecks {

    private CgroupV2VmChecks() {}

    interface Check {
        void run(CgroupLayout layout) throws Exception;
    }

    public static void main(String[] args) {
        CgroupLayout layout = CgroupLayout.detect();
        if (layout.kind() != CgroupLayout.Kind.V2) {
            System.out.println("FAIL layout: expected cgroup v2 only, found " + layout);
            System.exit(1);
        }
        Map<String, Check> checks = new LinkedHashMap<>();
        checks.put("oom-kill", CgroupChecks::aProcessOverTheMemoryLimitIsOomKilledAndCounted);
        checks.put("pids-max", CgroupChecks::pidsMaxStopsAForkLoop);
        checks.put("freeze", CgroupChecks::freezeStopsACounterAndThawResumesIt);
        checks.put("stats", CgroupChecks::statsReportMemoryAndCpuInRuncsJsonShape);
        checks.put("device-filter", CgroupChecks::aDeniedDeviceCannotBeOpened);
        checks.put("kill-all", CgroupChecks::killAllEmptiesTheCgroupIncludingChildren);
        boolean failed = false;
        for (var check : checks.entrySet()) {
            try {
                check.getValue().run(layout);
                System.out.println("PASS " + check.getKey());
            } catch (Throwable t) {
                failed = true;
                System.out.println("FAIL " + check.getKey() + ": " + t.toString().replace('\n', ' '));
            }
        }
        System.exit(failed ? 1 : 0);
    }
}
