package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.testing.ContainerRun;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Each feature of the container core, checked from inside a real container, for each engine. */
@RequiresRoot
class ContainerLifecycleTest {

    @TempDir
    Path work;

    private ContainerRun.Outcome run(EngineChoice engine, TestBundle bundle) throws Exception {
        var containers = new Containers(work.resolve("state"));
        return ContainerRun.run(containers, "c-" + engine.name().toLowerCase(), bundle.write(), engine);
    }

    private TestBundle bundle() throws Exception {
        return TestBundle.create(work.resolve("bundle"));
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD"})
    void theExitCodeComesBack(EngineChoice engine) throws Exception {
        var outcome = run(engine, bundle().shell("echo hello; exit 7"));
        assertEquals(7, outcome.exitCode(), outcome.stderr());
        assertEquals("hello\n", outcome.stdout());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD"})
    void aProcessKilledBySigkillReports137(EngineChoice engine) throws Exception {
        // From outside: pid 1 of a pid namespace ignores SIGKILL sent from inside it.
        var containers = new Containers(work.resolve("state"));
        Container container = containers.create("killed", bundle().args("sleep", "600").write(),
                new CreateOptions(engine, dev.canal.runtime.spawn.Stdio.inherit()));
        try {
            container.start();
            assertEquals(ContainerStatus.RUNNING, container.status());
            container.kill(dev.canal.bindings.linux.linux_h.SIGKILL());
            assertEquals(137, container.waitForExit());
            assertEquals(ContainerStatus.STOPPED, container.status());
        } finally {
            container.delete(true);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD"})
    void theProcessIsPid1AndSeesOnlyItsOwnProcesses(EngineChoice engine) throws Exception {
        // The glob is expanded by sh itself, before any child exists.
        var outcome = run(engine, bundle().shell("echo $$; echo /proc/[0-9]*"));
        assertEquals("1\n/proc/1\n", outcome.stdout(), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD"})
    void hostnameAndDomainnameAreTheContainers(EngineChoice engine) throws Exception {
        var outcome = run(engine, bundle().edit(c -> c.put("domainname", "example.test"))
                .shell("cat /proc/sys/kernel/hostname /proc/sys/kernel/domainname"));
        assertEquals("canal-test\nexample.test\n", outcome.stdout(), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD"})
    void theMountTableIsTheSpecs(EngineChoice engine) throws Exception {
        // mountinfo (proc(5)): field 5 is the mount point; the type follows the "-" separator.
        var outcome = run(engine, bundle().shell("awk '{ for (i = 7; $i != \"-\"; i++); print $5, $(i + 1) }' /proc/self/mountinfo"));
        String table = outcome.stdout();
        for (String expected : new String[] {"/proc proc", "/dev tmpfs", "/dev/pts devpts", "/dev/shm tmpfs",
                "/dev/mqueue mqueue", "/sys sysfs", "/tmp tmpfs", "/proc/acpi tmpfs", "/proc/sys proc"}) {
            assertTrue(table.contains(expected + "\n"), expected + " in\n" + table + outcome.stderr());
        }
        assertTrue(table.startsWith("/ "), "the rootfs is the root:\n" + table);
        assertEquals(0, outcome.exitCode());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD"})
    void aMaskedPathReadsAsEmpty(EngineChoice engine) throws Exception {
        var outcome = run(engine, bundle().shell("wc -c < /proc/timer_list; ls /sys/firmware | wc -l"));
        assertEquals("0\n0\n", outcome.stdout(), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD"})
    void aReadonlyPathRefusesWritesWithErofs(EngineChoice engine) throws Exception {
        var outcome = run(engine, bundle().shell("echo 1 > /proc/sys/kernel/domainname"));
        assertEquals(1, outcome.exitCode());
        assertTrue(outcome.stderr().contains("Read-only file system"), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD"})
    void aReadonlyRootRefusesWritesButTmpfsMountsAccept(EngineChoice engine) throws Exception {
        var outcome = run(engine, bundle().shell("touch /etc/x 2>&1; touch /tmp/x && echo tmp-ok"));
        assertTrue(outcome.stdout().contains("Read-only file system"), outcome.stdout());
        assertTrue(outcome.stdout().endsWith("tmp-ok\n"), outcome.stdout());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD"})
    void aNewNetworkNamespaceHasLoopbackUp(EngineChoice engine) throws Exception {
        // IFF_UP is bit 0 of the interface flags (netdevice(7)); lo is the only interface.
        var outcome = run(engine, bundle().shell("ls /sys/class/net; cat /sys/class/net/lo/flags"));
        assertEquals("lo\n0x9\n", outcome.stdout(), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD"})
    void aTimeNamespaceOffsetsUptime(EngineChoice engine) throws Exception {
        var bundle = bundle().namespace("time").edit(c -> ((tools.jackson.databind.node.ObjectNode) c.get("linux"))
                .putObject("timeOffsets").putObject("boottime").put("secs", 864000).put("nanosecs", 0));
        var outcome = run(engine, bundle.shell("cut -d. -f1 /proc/uptime"));
        assertTrue(Long.parseLong(outcome.stdout().strip()) >= 864000, outcome.stdout() + outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD"})
    void theProcessRunsAsTheSpecsUserWithItsGroupsCwdAndEnvironment(EngineChoice engine) throws Exception {
        var bundle = bundle().edit(c -> {
            var process = (tools.jackson.databind.node.ObjectNode) c.get("process");
            process.putObject("user").put("uid", 1000).put("gid", 1000).put("umask", 0077).putArray("additionalGids").add(2000);
            process.put("cwd", "/home/user");
            ((tools.jackson.databind.node.ArrayNode) process.get("env")).add("GREETING=hi");
        });
        var outcome = run(engine, bundle.shell("id; pwd; umask; echo $GREETING"));
        assertEquals("uid=1000(user) gid=1000(user) groups=2000(extra)\n/home/user\n0077\nhi\n", outcome.stdout(), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD"})
    void argsZeroIsLookedUpInTheContainersPath(EngineChoice engine) throws Exception {
        var outcome = run(engine, bundle().args("echo", "found"));
        assertEquals("found\n", outcome.stdout(), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD"})
    void rlimitsAreTheSpecs(EngineChoice engine) throws Exception {
        var outcome = run(engine, bundle().shell("ulimit -n"));
        assertEquals("1024\n", outcome.stdout(), outcome.stderr());
    }
}
