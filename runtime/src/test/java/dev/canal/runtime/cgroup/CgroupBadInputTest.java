package dev.canal.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.oci.Resources;
import dev.canal.runtime.testing.RequiresRoot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Bad linux.resources values: one line naming the field, and no cgroup left in any hierarchy. */
@RequiresRoot
class CgroupBadInputTest {

    private final CgroupLayout layout = CgroupLayout.detect();

    private static Resources.Memory memory(Long limit, Long swap, Long swappiness) {
        return new Resources.Memory(limit, null, swap, null, null, swappiness, null, null, null, null);
    }

    private static Resources.Cpu cpu(Long shares, Long quota, Long period, String cpus) {
        return new Resources.Cpu(shares, quota, null, period, null, null, cpus, null, null, null);
    }

    private static Resources.BlockIo readBps(long major, long minor) {
        return new Resources.BlockIo(
                null,
                null,
                null,
                List.of(new Resources.ThrottleDevice(major, minor, 1024L, null)),
                null,
                null,
                null,
                null);
    }

    private void refused(Resources resources, String message) {
        String path = TestCgroups.uniquePath();
        var error =
                assertThrows(InvalidResourcesException.class, () -> Cgroups.create(layout, path, "unused", resources));
        assertTrue(error.getMessage().startsWith(message), error.getMessage());
        assertFalse(error.getMessage().contains("\n"), error.getMessage());
        assertFalse(TestCgroups.existsAnywhere(layout, path), "a refused create left " + path + " behind");
    }

    @Test
    void negativeLimitsOtherThanMinusOne() {
        refused(TestCgroups.memory(-2L, null), "linux.resources.memory.limit: -2 is negative; use -1 for unlimited");
        refused(TestCgroups.pids(-5), "linux.resources.pids.limit: -5 is negative");
    }

    @Test
    void swapBelowTheMemoryLimit() {
        refused(
                TestCgroups.resources(memory(64L << 20, 32L << 20, null), null, null, null, null),
                "linux.resources.memory.swap: 33554432 is less than linux.resources.memory.limit 67108864");
    }

    @Test
    void swappinessOver100() {
        refused(
                TestCgroups.resources(memory(null, null, 101L), null, null, null, null),
                "linux.resources.memory.swappiness: 101 is not between 0 and 100");
    }

    @Test
    void aQuotaWithoutAPeriod() {
        refused(
                TestCgroups.resources(null, cpu(null, 50_000L, null, null), null, null, null),
                "linux.resources.cpu.period: missing");
    }

    @Test
    void cpusThatAreNotAList() {
        refused(TestCgroups.cpu(null, null, "abc"), "linux.resources.cpu.cpus: \"abc\" is not a list of numbers");
        refused(TestCgroups.cpu(null, null, "3-1"), "linux.resources.cpu.cpus: \"3-1\": range 3-1 runs backwards");
    }

    @Test
    void sharesOutOfTheKernelsRange() {
        refused(
                TestCgroups.resources(null, cpu(1L, null, null, null), null, null, null),
                "linux.resources.cpu.shares: 1 is not between 2 and 262144");
    }

    @Test
    void aThrottleOnABlockDeviceThatDoesNotExist() {
        refused(
                TestCgroups.resources(null, null, null, readBps(4095, 4095), null),
                "linux.resources.blockIO.throttleReadBpsDevice[0]: no block device 4095:4095 on this machine");
    }

    @Test
    void badDeviceRules() {
        refused(
                TestCgroups.devices(TestCgroups.rule(false, "x", null, null, "rwm")),
                "linux.resources.devices[0].type: \"x\" is not a, c or b");
        refused(
                TestCgroups.devices(TestCgroups.rule(true, "c", 1L, 3L, "rwx")),
                "linux.resources.devices[0].access: \"rwx\" may only hold r, w and m");
    }

    @Test
    void unifiedKeysOnCgroupV1() {
        if (!layout.limitsOnV2()) {
            refused(
                    new Resources(null, null, null, null, null, null, null, null, Map.of("memory.high", "1G"), null),
                    "linux.resources.unified: cgroup v2 files cannot be set");
        }
    }

    @Test
    void hugePageSizesTheMachineLacks() {
        var limit = new Resources.HugepageLimit("3MB", 1L << 30, null);
        refused(
                new Resources(null, null, null, null, null, List.of(limit), null, null, null, null),
                "linux.resources.hugepageLimits[0].pageSize: \"3MB\" is not a huge page size of this machine");
    }

    @Test
    void aValueOnlyTheKernelRefusesAlsoLeavesNothing() {
        String path = TestCgroups.uniquePath();
        // Syntactically a CPU list, but no machine here has CPU 4000.
        var error = assertThrows(
                CgroupException.class,
                () -> Cgroups.create(layout, path, "unused", TestCgroups.cpu(null, null, "4000")));
        assertTrue(error.getMessage().startsWith("writing \"4000\" to "), error.getMessage());
        assertTrue(error.getMessage().contains("/cpuset.cpus: E"), error.getMessage());
        assertFalse(TestCgroups.existsAnywhere(layout, path), "a failed create left " + path + " behind");
    }

    @Test
    void cgroupsPathsOutsideTheirHierarchy() {
        var error = assertThrows(IllegalArgumentException.class, () -> CgroupPath.resolve("/canal/../../etc", "x"));
        assertEquals(
                "linux.cgroupsPath \"/canal/../../etc\": a cgroup path may not contain \"..\"", error.getMessage());
        error = assertThrows(IllegalArgumentException.class, () -> CgroupPath.resolve("system.slice:canal:x", "x"));
        assertTrue(
                error.getMessage().startsWith("linux.cgroupsPath: \"system.slice:canal:x\" is a systemd"),
                error.getMessage());
    }
}
