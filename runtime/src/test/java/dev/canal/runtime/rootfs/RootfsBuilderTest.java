package dev.canal.runtime.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The order of a rootfs build, read from its list of steps without running one (nothing is
 * mounted). It follows runc's prepareRootfs (libcontainer/rootfs_linux.go): propagation and the
 * rootfs bound onto itself, the spec's mounts in order, /dev's nodes, the createRuntime and
 * createContainer hooks while the host's root is still reachable, then pivot_root. runc masks
 * and write-protects paths after pivot_root (standard_init_linux.go); Canal does it just
 * before, on the same paths resolved inside the rootfs, because after pivot_root the JVM could
 * load no class.
 */
class RootfsBuilderTest {

    private static final List<RootfsPlan.Mount> MOUNTS = List.of(
            new RootfsPlan.Mount("/proc", "proc", "proc", List.of()),
            new RootfsPlan.Mount("/dev", "tmpfs", "tmpfs", List.of("nosuid", "strictatime", "mode=755")),
            new RootfsPlan.Mount("/dev/pts", "devpts", "devpts", List.of("nosuid", "noexec")),
            new RootfsPlan.Mount("/etc/hosts", "none", "/srv/hosts", List.of("rbind", "ro")));

    private static RootfsPlan plan(List<RootfsPlan.Mount> mounts, RootfsPlan.Console console, boolean readonly) {
        return new RootfsPlan(
                "/srv/rootfs",
                readonly,
                null,
                mounts,
                List.of(),
                List.of("/proc/kcore", "/sys/firmware"),
                List.of("/proc/sys"),
                console,
                null);
    }

    private static List<String> steps(RootfsPlan plan, boolean procMounted) {
        return new RootfsBuilder(plan, null, procMounted, () -> {})
                .steps().stream().map(RootfsBuilder.Step::name).toList();
    }

    @Test
    void mountsThenDevicesThenHooksThenMasksThenPivotRoot() {
        var console = new RootfsPlan.Console("/dev/pts/0", 24, 80, 0, 0);
        assertEquals(
                List.of(
                        "isolate from the host's mounts",
                        "bind the rootfs onto itself",
                        "open the rootfs",
                        "mounts[0] (proc on /proc)",
                        "mounts[1] (tmpfs on /dev)",
                        "linux.devices",
                        "mounts[2] (devpts on /dev/pts)",
                        "mounts[3] (none on /etc/hosts)",
                        "createRuntime and createContainer hooks",
                        "linux.maskedPaths[0] (/proc/kcore)",
                        "linux.maskedPaths[1] (/sys/firmware)",
                        "linux.readonlyPaths[0] (/proc/sys)",
                        "process.terminal",
                        "make the root read-only",
                        "close the rootfs",
                        "pivot_root"),
                steps(plan(MOUNTS, console, true), false));
    }

    @Test
    void aProcTheProcessMountedItselfIsSkippedAndABoundDevGetsNoNodes() {
        var boundDev = List.of(
                new RootfsPlan.Mount("/proc", "proc", "proc", List.of()),
                new RootfsPlan.Mount("/dev", "none", "/dev", List.of("rbind")));
        assertEquals(
                List.of(
                        "isolate from the host's mounts",
                        "bind the rootfs onto itself",
                        "open the rootfs",
                        "mounts[1] (none on /dev)",
                        "createRuntime and createContainer hooks",
                        "linux.maskedPaths[0] (/proc/kcore)",
                        "linux.maskedPaths[1] (/sys/firmware)",
                        "linux.readonlyPaths[0] (/proc/sys)",
                        "close the rootfs",
                        "pivot_root"),
                steps(plan(boundDev, null, false), true));
    }

    @Test
    void onlyTheStepsConfigJsonAsksForNameItsItemInAFailure() {
        List<String> named = new RootfsBuilder(plan(MOUNTS, null, false), null, false, () -> {})
                .steps().stream()
                        .filter(RootfsBuilder.Step::namesSpecItem)
                        .map(RootfsBuilder.Step::name)
                        .toList();
        assertEquals(
                List.of(
                        "mounts[0] (proc on /proc)",
                        "mounts[1] (tmpfs on /dev)",
                        "linux.devices",
                        "mounts[2] (devpts on /dev/pts)",
                        "mounts[3] (none on /etc/hosts)",
                        "linux.maskedPaths[0] (/proc/kcore)",
                        "linux.maskedPaths[1] (/sys/firmware)",
                        "linux.readonlyPaths[0] (/proc/sys)"),
                named);
    }
}
