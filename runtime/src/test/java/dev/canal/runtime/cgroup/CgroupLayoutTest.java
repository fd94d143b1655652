package dev.canal.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CgroupLayoutTest {

    private static final String HYBRID = """
            22 1 0:21 / /sys rw,nosuid - sysfs sysfs rw
            30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755
            31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct
            34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory
            38 30 0:35 / /sys/fs/cgroup/pids rw,relatime - cgroup cgroup rw,pids
            39 30 0:36 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd
            40 30 0:37 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw,nsdelegate
            """;

    @Test
    void hybridHasV1ControllersAndAnEmptyUnifiedMount() {
        CgroupLayout layout = CgroupLayout.parse(HYBRID);
        assertEquals(CgroupLayout.Kind.HYBRID, layout.kind());
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), layout.v1Mounts().get("cpu"));
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), layout.v1Mounts().get("cpuacct"));
        assertEquals(Optional.of(Path.of("/sys/fs/cgroup/unified")), layout.unifiedMount());
        assertEquals(false, layout.v1Mounts().containsKey("systemd"), "named hierarchies are not controllers");
        assertEquals(false, layout.limitsOnV2());
    }

    @Test
    void everyV1HierarchysMountPointNamedOnesIncluded() {
        var mountPoints = CgroupLayout.v1MountPoints(HYBRID);
        assertEquals(Path.of("/sys/fs/cgroup/cpu,cpuacct"), mountPoints.get("cpu"));
        assertEquals(Path.of("/sys/fs/cgroup/systemd"), mountPoints.get("name=systemd"));
        assertEquals(
                false, mountPoints.containsValue(Path.of("/sys/fs/cgroup/unified")), "cgroup2 is not a v1 hierarchy");
        assertTrue(CgroupLayout.holdsContainers("memory"));
        assertEquals(false, CgroupLayout.holdsContainers("name=systemd"));
    }

    @Test
    void pureV2AndPureV1() {
        CgroupLayout v2 = CgroupLayout.parse("29 22 0:26 / /sys/fs/cgroup rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n");
        assertEquals(CgroupLayout.Kind.V2, v2.kind());
        assertTrue(v2.limitsOnV2());
        assertEquals(Path.of("/sys/fs/cgroup"), v2.unified());
        CgroupLayout v1 = CgroupLayout.parse("34 30 0:31 / /sys/fs/cgroup/memory rw - cgroup cgroup rw,memory\n");
        assertEquals(CgroupLayout.Kind.V1, v1.kind());
    }

    @Test
    void mountPointsWithEscapedSpaces() {
        CgroupLayout layout = CgroupLayout.parse("34 30 0:31 / /tmp/my\\040cgroups rw - cgroup cgroup rw,pids\n");
        assertEquals(Path.of("/tmp/my cgroups"), layout.v1Mounts().get("pids"));
    }

    @Test
    void thisMachineIsDetected() {
        CgroupLayout layout = CgroupLayout.detect();
        assertTrue(layout.kind() == CgroupLayout.Kind.V2 || !layout.v1Mounts().isEmpty(), layout.toString());
    }

    @Test
    void cgroupsPathSemantics() {
        assertEquals("/canal/abc", CgroupPath.resolve(null, "abc"));
        assertEquals("/canal/abc", CgroupPath.resolve("", "abc"));
        assertEquals("/podman/abc", CgroupPath.resolve("/podman//abc/", "abc"));
        String own = CgroupPath.ownCgroup();
        assertEquals(own + "/jobs/abc", CgroupPath.resolve("jobs/abc", "abc"));
    }
}
