package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.testing.ContainerRun;
import dev.canal.runtime.testing.HostSnapshot;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * A container's cgroup: made at create with the spec's limits, holding the process before it
 * runs, enforced, and gone after delete; bad limits refused with nothing left.
 */
@RequiresRoot
class ContainerCgroupTest {

    @TempDir
    Path work;

    /** A unique cgroup per test, so runs on a shared machine never meet. */
    private final String cgroupsPath =
            "/canal/test-container-" + UUID.randomUUID().toString().substring(0, 8);

    private TestBundle bundle(String script) throws Exception {
        return TestBundle.create(work.resolve("bundle"))
                .shell(script)
                .edit(c -> ((ObjectNode) c.get("linux")).put("cgroupsPath", cgroupsPath));
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aProcessOverItsMemoryLimitIsOomKilledAndTheCgroupGoesWithTheContainer(EngineChoice engine) throws Exception {
        // 64 MiB of memory under a 32 MiB limit without swap: the OOM killer ends it (SIGKILL).
        var bundle =
                bundle("cat /proc/self/cgroup | grep -c " + cgroupsPath + "; head -c 64m /dev/zero | tail > /dev/null");
        ((ObjectNode) bundle.linux())
                .putObject("resources")
                .putObject("memory")
                .put("limit", 32L << 20)
                .put("swap", 32L << 20);
        var containers = new Containers(work.resolve("state"));
        var out = Files.createTempFile(work, "out", ".txt");
        try (var file =
                dev.canal.runtime.sys.OwnedFd.open(out.toString(), dev.canal.bindings.linux.linux_h.O_WRONLY(), 0)) {
            Container container = containers.create(
                    "oom", bundle.write(), new CreateOptions(engine, new Stdio(0, file.fd(), file.fd())));
            try {
                assertEquals(
                        java.util.List.of(container.pid()),
                        container.cgroup().pids(),
                        "held in its cgroup before it runs");
                container.start();
                assertEquals(137, container.waitForExit(), Files.readString(out));
                assertTrue(container.cgroup().oomKillCount() >= 1, "the cgroup counted an OOM kill");
            } finally {
                container.delete(true);
            }
            assertTrue(
                    Integer.parseInt(Files.readString(out).lines().findFirst().orElseThrow()) >= 1,
                    Files.readString(out));
            assertFalse(
                    Files.exists(Path.of("/sys/fs/cgroup/memory" + cgroupsPath)),
                    "the cgroup is removed with the container");
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aPidsLimitStopsForks(EngineChoice engine) throws Exception {
        // pids.max 4: the shell and three sleeps; the fifth fork fails with EAGAIN.
        var bundle = bundle("for i in 1 2 3 4 5 6 7 8; do sleep 5 & done; kill $(jobs -p)");
        ((ObjectNode) bundle.linux()).putObject("resources").putObject("pids").put("limit", 4);
        var outcome = ContainerRun.run(new Containers(work.resolve("state")), "pids", bundle.write(), engine);
        assertTrue(outcome.stderr().contains("can't fork"), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void withoutACgroupNamespaceTheCgroupMountShowsTheContainersOwnCgroups(EngineChoice engine) throws Exception {
        assumeTrue(!CgroupLayout.detect().limitsOnV2(), "on cgroup v2 the mount is cgroup2 itself, as runc's");
        // As dockerd asks on cgroup v1: a read-only cgroup mount and no cgroup namespace.
        var bundle = bundle(
                        "cat /sys/fs/cgroup/pids/pids.max; ls -d /sys/fs/cgroup/memory/*/ 2>/dev/null | wc -l; "
                                + "grep ' /sys/fs/cgroup/pids ' /proc/self/mountinfo | cut -d' ' -f4; mkdir /sys/fs/cgroup/pids/x")
                .edit(c -> ((tools.jackson.databind.node.ArrayNode) c.get("mounts"))
                        .addObject()
                        .put("destination", "/sys/fs/cgroup")
                        .put("type", "cgroup")
                        .put("source", "cgroup")
                        .putArray("options")
                        .add("ro")
                        .add("nosuid")
                        .add("noexec")
                        .add("nodev"));
        ((ObjectNode) bundle.linux()).putObject("resources").putObject("pids").put("limit", 7);
        var outcome = ContainerRun.run(new Containers(work.resolve("state")), "own-cgroups", bundle.write(), engine);
        // Its own pids.max, no other cgroup of the machine below it, and the directory of its cgroup as the mount's
        // root.
        assertEquals(List.of("7", "0", cgroupsPath), outcome.stdout().lines().toList(), outcome.stderr());
        assertTrue(outcome.stderr().contains("Read-only file system"), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void badLimitsAreRefusedAndLeaveNothing(EngineChoice engine) throws Exception {
        var bundle = bundle("true");
        ((ObjectNode) bundle.linux()).putObject("resources").putObject("cpu").put("quota", 20000);
        Path directory = bundle.write();
        var containers = new Containers(work.resolve("state"));
        HostSnapshot before = HostSnapshot.take();
        var error = assertThrows(
                RuntimeException.class,
                () -> containers.create("bad", directory, new CreateOptions(engine, Stdio.inherit())));
        assertTrue(error.getMessage().startsWith("linux.resources.cpu"), error.getMessage());
        assertEquals(before, HostSnapshot.take(), "the host is as it was");
        assertEquals(java.util.List.of(), containers.ids());
    }
}
