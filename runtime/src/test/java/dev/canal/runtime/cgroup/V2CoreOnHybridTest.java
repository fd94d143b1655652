package dev.canal.runtime.cgroup;

import static dev.canal.runtime.cgroup.TestCgroups.destroyQuietly;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.cgroup.v2.V2Manager;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * The parts of the v2 manager that need no controller, on this machine's cgroup2 mount (the
 * empty unified hierarchy of a hybrid layout, or the real one on a v2 machine): the BPF device
 * filter (bpf(2) attaches to any cgroup2 directory, and the kernel checks it before the v1
 * devices cgroup), cgroup.freeze, cgroup.kill and removal.
 */
@RequiresRoot
class V2CoreOnHybridTest {

    private final CgroupLayout layout = CgroupLayout.detect();

    @Test
    void theBpfDeviceFilterRefusesADeniedDevice() throws Exception {
        CgroupChecks.aDeniedDeviceCannotBeOpened(
                resources -> V2Manager.create(layout.unified(), TestCgroups.uniquePath(), resources, made -> {}));
    }

    @Test
    void anUpdateReplacesTheDeviceFilter() throws Exception {
        V2Manager cgroup = null;
        try (var shell = new HeldShell("head -c1 /dev/null && echo null-ok")) {
            cgroup = V2Manager.create(
                    layout.unified(),
                    TestCgroups.uniquePath(),
                    TestCgroups.devices(TestCgroups.rule(false, "c", 1L, 3L, "rwm")),
                    made -> {});
            cgroup.update(TestCgroups.devices(TestCgroups.rule(true, "a", null, null, "rwm")));
            cgroup.addProcess(shell.pid());
            shell.release();
            assertEquals(0, shell.waitFor(10));
            assertTrue(shell.output().contains("null-ok"), shell.output());
        } finally {
            destroyQuietly(cgroup);
        }
    }

    @Test
    void freezeThawAndKillThroughTheCoreFiles() throws Exception {
        V2Manager cgroup = null;
        try (var shell = new HeldShell("sleep 60 & sleep 60 & echo forked; wait")) {
            cgroup = V2Manager.create(layout.unified(), TestCgroups.uniquePath(), TestCgroups.none(), made -> {});
            cgroup.addProcess(shell.pid());
            shell.release();
            CgroupChecks.waitForOutput(shell, "forked");
            cgroup.freeze();
            assertTrue(cgroup.isFrozen());
            assertEquals(3, cgroup.pids().size());
            cgroup.thaw();
            assertFalse(cgroup.isFrozen());
            cgroup.killAll(9);
            assertEquals(0, cgroup.pids().size());
            cgroup.destroy();
            assertFalse(Files.exists(cgroup.directory()));
        } finally {
            destroyQuietly(cgroup);
        }
    }
}
