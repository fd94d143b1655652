package dev.canal.runtime.cgroup;

import dev.canal.runtime.oci.Resources;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Unique cgroup paths under /canal and the resources records the cgroup tests build. */
final class TestCgroups {

    private TestCgroups() {}

    /** "/canal/test-&lt;random&gt;": a name no other test or runtime uses. */
    static String uniquePath() {
        return CgroupPath.DEFAULT_PARENT + "/test-"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    static Resources resources(
            Resources.Memory memory,
            Resources.Cpu cpu,
            Resources.Pids pids,
            Resources.BlockIo io,
            List<Resources.DeviceRule> devices) {
        return new Resources(devices, memory, cpu, pids, io, null, null, null, null, null);
    }

    static Resources none() {
        return resources(null, null, null, null, null);
    }

    static Resources memory(Long limit, Long swap) {
        return resources(
                new Resources.Memory(limit, null, swap, null, null, null, null, null, null, null),
                null,
                null,
                null,
                null);
    }

    static Resources cpu(Long quota, Long period, String cpus) {
        return resources(
                null,
                new Resources.Cpu(null, quota, null, period, null, null, cpus, null, null, null),
                null,
                null,
                null);
    }

    /** CPU shares, pinned to {@code cpus}. */
    static Resources shares(long shares, String cpus) {
        return resources(
                null,
                new Resources.Cpu(shares, null, null, null, null, null, cpus, null, null, null),
                null,
                null,
                null);
    }

    static Resources pids(long limit) {
        return resources(null, null, new Resources.Pids(limit, null), null, null);
    }

    static Resources readBps(long major, long minor, long rate) {
        var io = new Resources.BlockIo(
                null,
                null,
                null,
                List.of(new Resources.ThrottleDevice(major, minor, rate, null)),
                null,
                null,
                null,
                null);
        return resources(null, null, null, io, null);
    }

    static Resources devices(Resources.DeviceRule... rules) {
        return resources(null, null, null, null, List.of(rules));
    }

    static Resources.DeviceRule rule(boolean allow, String type, Long major, Long minor, String access) {
        return new Resources.DeviceRule(allow, type, major, minor, access, Map.of());
    }

    /** Whether a directory for cgroup {@code path} exists in any hierarchy of {@code layout}. */
    static boolean existsAnywhere(CgroupLayout layout, String path) {
        var mounts = new java.util.ArrayList<>(layout.v1Mounts().values());
        layout.unifiedMount().ifPresent(mounts::add);
        return mounts.stream().map(mount -> CgroupPath.in(mount, path)).anyMatch(Files::exists);
    }

    /** Removes what a test may have left, whether or not it got as far as creating it. */
    static void destroyQuietly(Cgroup cgroup) {
        if (cgroup != null) {
            cgroup.killAll(9);
            cgroup.destroy();
        }
    }
}
