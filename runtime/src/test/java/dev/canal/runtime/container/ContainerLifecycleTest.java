package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.testing.ContainerRun;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.nio.file.Files;
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
    @EnumSource(names = {"THREAD", "CLONE"})
    void theExitCodeComesBack(EngineChoice engine) throws Exception {
        var outcome = run(engine, bundle().shell("echo hello; exit 7"));
        assertEquals(7, outcome.exitCode(), outcome.stderr());
        assertEquals("hello\n", outcome.stdout());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aProcessKilledBySigkillReports137(EngineChoice engine) throws Exception {
        // From outside: pid 1 of a pid namespace ignores SIGKILL sent from inside it.
        var containers = new Containers(work.resolve("state"));
        Container container = containers.create(
                "killed",
                bundle().args("sleep", "600").write(),
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
    @EnumSource(names = {"THREAD", "CLONE"})
    void theProcessIsPid1AndSeesOnlyItsOwnProcesses(EngineChoice engine) throws Exception {
        // The glob is expanded by sh itself, before any child exists.
        var outcome = run(engine, bundle().shell("echo $$; echo /proc/[0-9]*"));
        assertEquals("1\n/proc/1\n", outcome.stdout(), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void hostnameAndDomainnameAreTheContainers(EngineChoice engine) throws Exception {
        var outcome = run(
                engine,
                bundle().edit(c -> c.put("domainname", "example.test"))
                        .shell("cat /proc/sys/kernel/hostname /proc/sys/kernel/domainname"));
        assertEquals("canal-test\nexample.test\n", outcome.stdout(), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void theMountTableIsTheSpecs(EngineChoice engine) throws Exception {
        // mountinfo (proc(5)): field 5 is the mount point; the type follows the "-" separator.
        var outcome = run(
                engine,
                bundle().shell("awk '{ for (i = 7; $i != \"-\"; i++); print $5, $(i + 1) }' /proc/self/mountinfo"));
        String table = outcome.stdout();
        for (String expected : new String[] {
            "/proc proc",
            "/dev tmpfs",
            "/dev/pts devpts",
            "/dev/shm tmpfs",
            "/dev/mqueue mqueue",
            "/sys sysfs",
            "/tmp tmpfs",
            "/proc/acpi tmpfs",
            "/proc/sys proc"
        }) {
            assertTrue(table.contains(expected + "\n"), expected + " in\n" + table + outcome.stderr());
        }
        assertTrue(table.startsWith("/ "), "the rootfs is the root:\n" + table);
        assertEquals(0, outcome.exitCode());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void everyMountShowsTheSourceItsConfigNames(EngineChoice engine) throws Exception {
        // Sources unlike any type or constant: "canal-dev-shm" for /dev/shm, and a cgroup mount too.
        var bundle = bundle().edit(c -> {
            var mounts = (tools.jackson.databind.node.ArrayNode) c.get("mounts");
            mounts.addObject()
                    .put("destination", "/sys/fs/cgroup")
                    .put("type", "cgroup")
                    .putArray("options")
                    .add("nosuid")
                    .add("noexec")
                    .add("nodev")
                    .add("relatime")
                    .add("ro");
            for (var mount : mounts) {
                ((tools.jackson.databind.node.ObjectNode) mount)
                        .put(
                                "source",
                                "canal" + mount.get("destination").asString().replace('/', '-'));
            }
        });
        // mountinfo (proc(5)): field 5 is the mount point; the type and source follow the "-".
        var outcome = run(
                engine,
                bundle.shell(
                        "awk '{ for (i = 7; $i != \"-\"; i++); print $5, $(i + 1), $(i + 2) }' /proc/self/mountinfo"));
        for (String expected : new String[] {
            "/proc proc canal-proc",
            "/dev tmpfs canal-dev",
            "/dev/pts devpts canal-dev-pts",
            "/dev/shm tmpfs canal-dev-shm",
            "/dev/mqueue mqueue canal-dev-mqueue",
            "/sys sysfs canal-sys",
            "/tmp tmpfs canal-tmp",
            // cgroup2 on a v2 host; on v1 and hybrid hosts a tmpfs holding the hierarchies, as runc.
            java.nio.file.Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))
                    ? "/sys/fs/cgroup cgroup2 canal-sys-fs-cgroup"
                    : "/sys/fs/cgroup tmpfs canal-sys-fs-cgroup"
        }) {
            assertTrue(
                    outcome.stdout().contains(expected + "\n"),
                    expected + " in\n" + outcome.stdout() + outcome.stderr());
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aMaskedPathReadsAsEmpty(EngineChoice engine) throws Exception {
        var outcome = run(engine, bundle().shell("wc -c < /proc/timer_list; ls /sys/firmware | wc -l"));
        assertEquals("0\n0\n", outcome.stdout(), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aReadonlyPathRefusesWritesWithErofs(EngineChoice engine) throws Exception {
        var outcome = run(engine, bundle().shell("echo 1 > /proc/sys/kernel/domainname"));
        assertEquals(1, outcome.exitCode());
        assertTrue(outcome.stderr().contains("Read-only file system"), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aReadonlyRootRefusesWritesButTmpfsMountsAccept(EngineChoice engine) throws Exception {
        var outcome = run(engine, bundle().shell("touch /etc/x 2>&1; touch /tmp/x && echo tmp-ok"));
        assertTrue(outcome.stdout().contains("Read-only file system"), outcome.stdout());
        assertTrue(outcome.stdout().endsWith("tmp-ok\n"), outcome.stdout());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aNewNetworkNamespaceHasLoopbackUp(EngineChoice engine) throws Exception {
        // IFF_UP is bit 0 of the interface flags (netdevice(7)); lo is the only interface.
        var outcome = run(engine, bundle().shell("ls /sys/class/net; cat /sys/class/net/lo/flags"));
        assertEquals("lo\n0x9\n", outcome.stdout(), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aTimeNamespaceOffsetsUptime(EngineChoice engine) throws Exception {
        var bundle = bundle().namespace("time")
                .edit(c -> ((tools.jackson.databind.node.ObjectNode) c.get("linux"))
                        .putObject("timeOffsets")
                        .putObject("boottime")
                        .put("secs", 864000)
                        .put("nanosecs", 0));
        var outcome = run(engine, bundle.shell("cut -d. -f1 /proc/uptime"));
        assertTrue(Long.parseLong(outcome.stdout().strip()) >= 864000, outcome.stdout() + outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void theProcessRunsAsTheSpecsUserWithItsGroupsCwdAndEnvironment(EngineChoice engine) throws Exception {
        var bundle = bundle().edit(c -> {
            var process = (tools.jackson.databind.node.ObjectNode) c.get("process");
            process.putObject("user")
                    .put("uid", 1000)
                    .put("gid", 1000)
                    .put("umask", 0077)
                    .putArray("additionalGids")
                    .add(2000);
            process.put("cwd", "/home/user");
            ((tools.jackson.databind.node.ArrayNode) process.get("env")).add("GREETING=hi");
        });
        var outcome = run(engine, bundle.shell("id; pwd; umask; echo $GREETING"));
        assertEquals(
                "uid=1000(user) gid=1000(user) groups=2000(extra)\n/home/user\n0077\nhi\n",
                outcome.stdout(),
                outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void argsZeroIsLookedUpInTheContainersPath(EngineChoice engine) throws Exception {
        var outcome = run(engine, bundle().args("echo", "found"));
        assertEquals("found\n", outcome.stdout(), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void rlimitsAreTheSpecs(EngineChoice engine) throws Exception {
        var outcome = run(engine, bundle().shell("ulimit -n"));
        assertEquals("1024\n", outcome.stdout(), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void sysctlsAreSetInTheContainersNamespacesOnly(EngineChoice engine) throws Exception {
        String host = java.nio.file.Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward"));
        var bundle = bundle().edit(c -> ((tools.jackson.databind.node.ObjectNode) c.get("linux"))
                .putObject("sysctl")
                .put("net.ipv4.ip_forward", host.strip().equals("1") ? "0" : "1"));
        var outcome = run(engine, bundle.shell("cat /proc/sys/net/ipv4/ip_forward"));
        assertEquals(host.strip().equals("1") ? "0\n" : "1\n", outcome.stdout(), outcome.stderr());
        assertEquals(
                host,
                java.nio.file.Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")),
                "the host's is untouched");
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void theSpecsDevicesAreCreatedWithTheirModeAndOwner(EngineChoice engine) throws Exception {
        var bundle = bundle().edit(c -> ((tools.jackson.databind.node.ObjectNode) c.get("linux"))
                .putArray("devices")
                .addObject()
                .put("path", "/dev/canal-null")
                .put("type", "c")
                .put("major", 1)
                .put("minor", 3)
                .put("fileMode", 0640)
                .put("uid", 1000)
                .put("gid", 2000));
        var outcome = run(
                engine,
                bundle.shell(
                        "stat -c '%t:%T %a %u:%g' /dev/canal-null /dev/null; for l in /dev/fd /dev/ptmx /dev/core; do readlink $l; done"));
        // /dev/core as runc links it, when the kernel has a /proc/kcore (CONFIG_PROC_KCORE).
        String core = Files.exists(Path.of("/proc/kcore")) ? "/proc/kcore\n" : "";
        assertEquals(
                "1:3 640 1000:2000\n1:3 666 0:0\n/proc/self/fd\npts/ptmx\n" + core, outcome.stdout(), outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void linuxDevicesAreMadeByTypeAndGetNoCgroupRuleAsWithRunc(EngineChoice engine) throws Exception {
        // runc's specconv makes each linux.devices entry a node only; access is for
        // linux.resources.devices to grant. Here that denies everything, so 1:11 (kmsg, which
        // opens write-only for anyone allowed) is refused while the defaults (null) open.
        var bundle = bundle().edit(c -> {
            var linux = (tools.jackson.databind.node.ObjectNode) c.get("linux");
            var devices = linux.putArray("devices");
            devices.addObject().put("path", "/dev/canal-fifo").put("type", "p");
            devices.addObject()
                    .put("path", "/dev/canal-kmsg")
                    .put("type", "u")
                    .put("major", 1)
                    .put("minor", 11);
            devices.addObject()
                    .put("path", "/dev/canal-loop")
                    .put("type", "b")
                    .put("major", 7)
                    .put("minor", 0);
            linux.putObject("resources")
                    .putArray("devices")
                    .addObject()
                    .put("allow", false)
                    .put("access", "rwm");
        });
        var outcome = run(
                engine,
                bundle.shell(
                        "stat -c '%F %t:%T' /dev/canal-fifo /dev/canal-kmsg /dev/canal-loop;"
                                + " : 3>/dev/null && echo null-opens; { : 3>/dev/canal-kmsg; } 2>&1 | grep -o 'Operation not permitted'"));
        assertEquals(
                "fifo 0:0\ncharacter special file 1:b\nblock special file 7:0\nnull-opens\nOperation not permitted\n",
                outcome.stdout(),
                outcome.stderr());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void hostnameAndDomainnameAreSetInAJoinedUtsNamespace(EngineChoice engine) throws Exception {
        // As runc does: the names go to whichever uts namespace the container has, joined or new.
        var containers = new Containers(work.resolve("state"));
        Container holder = containers.create(
                "uts-holder",
                TestBundle.create(work.resolve("holder")).args("true").write(),
                CreateOptions.defaults());
        try {
            var bundle = bundle().withoutNamespaces("uts").edit(c -> {
                c.put("hostname", "joined").put("domainname", "joined.test");
                ((tools.jackson.databind.node.ArrayNode) c.get("linux").get("namespaces"))
                        .addObject()
                        .put("type", "uts")
                        .put("path", "/proc/" + holder.pid() + "/ns/uts");
            });
            var outcome =
                    run(engine, bundle.shell("readlink /proc/self/ns/uts; hostname; cat /proc/sys/kernel/domainname"));
            assertEquals(
                    java.nio.file.Files.readSymbolicLink(Path.of("/proc/" + holder.pid() + "/ns/uts"))
                            + "\njoined\njoined.test\n",
                    outcome.stdout(),
                    outcome.stderr());
        } finally {
            holder.delete(true);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void anExistingNamespaceIsJoinedByPath(EngineChoice engine) throws Exception {
        var containers = new Containers(work.resolve("state"));
        Container holder = containers.create(
                "holder", TestBundle.create(work.resolve("holder")).args("true").write(), CreateOptions.defaults());
        try {
            String path = "/proc/" + holder.pid() + "/ns/net";
            String expected =
                    java.nio.file.Files.readSymbolicLink(Path.of(path)).toString();
            var bundle = bundle().withoutNamespaces("network")
                    .edit(c -> ((tools.jackson.databind.node.ArrayNode)
                                    c.get("linux").get("namespaces"))
                            .addObject()
                            .put("type", "network")
                            .put("path", path));
            var outcome = run(engine, bundle.shell("readlink /proc/self/ns/net"));
            assertEquals(expected + "\n", outcome.stdout(), outcome.stderr());
        } finally {
            holder.delete(true);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aCgroupNamespaceShowsTheContainersCgroupAsTheRoot(EngineChoice engine) throws Exception {
        String runtimesCgroups = java.nio.file.Files.readString(Path.of("/proc/self/cgroup"));
        var bundle = bundle().namespace("cgroup")
                .edit(c -> ((tools.jackson.databind.node.ArrayNode) c.get("mounts"))
                        .addObject()
                        .put("destination", "/sys/fs/cgroup")
                        .put("type", "cgroup")
                        .put("source", "cgroup")
                        .putArray("options")
                        .add("nosuid")
                        .add("noexec")
                        .add("nodev")
                        .add("relatime")
                        .add("ro"));
        var outcome =
                run(engine, bundle.shell("cut -d: -f3 /proc/self/cgroup | sort -u; ls /sys/fs/cgroup | grep -c ."));
        String[] lines = outcome.stdout().split("\n");
        assertEquals("/", lines[0], outcome.stdout() + outcome.stderr());
        assertEquals(2, lines.length, outcome.stdout());
        assertTrue(Integer.parseInt(lines[1]) >= 1, "the cgroup filesystem is mounted: " + outcome.stdout());
        assertEquals(
                runtimesCgroups,
                java.nio.file.Files.readString(Path.of("/proc/self/cgroup")),
                "the JVM is back in its own cgroups (the thread engine's namespace is made by moving it)");
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aReadOnlyBindMountShowsTheHostDirectoryAndRefusesWrites(EngineChoice engine) throws Exception {
        Path shared = java.nio.file.Files.createDirectories(work.resolve("shared"));
        java.nio.file.Files.writeString(shared.resolve("greeting"), "from the host\n");
        var bundle = bundle().edit(c -> ((tools.jackson.databind.node.ArrayNode) c.get("mounts"))
                .addObject()
                .put("destination", "/data")
                .put("type", "bind")
                .put("source", shared.toString())
                .putArray("options")
                .add("rbind")
                .add("ro")
                .add("nosuid")
                .add("nodev"));
        var outcome = run(engine, bundle.shell("cat /data/greeting; touch /data/x"));
        assertEquals("from the host\n", outcome.stdout(), outcome.stderr());
        assertTrue(outcome.stderr().contains("Read-only file system"), outcome.stderr());
        assertEquals(
                java.util.List.of(shared.resolve("greeting")),
                java.nio.file.Files.list(shared).toList());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aSymlinkInTheImageCannotLeadAMountOutOfTheRootfs(EngineChoice engine) throws Exception {
        // The image's /etc/escape points far above its root; resolved on the host it would be
        // the host's directory "target", and the tmpfs would be mounted there.
        Path target = java.nio.file.Files.createDirectories(work.resolve("target"));
        var bundle = bundle();
        java.nio.file.Files.createSymbolicLink(
                work.resolve("bundle/rootfs/etc/escape"), Path.of("/../../../../../../" + target));
        bundle.edit(c -> ((tools.jackson.databind.node.ArrayNode) c.get("mounts"))
                .addObject()
                .put("destination", "/etc/escape")
                .put("type", "tmpfs")
                .put("source", "tmpfs"));
        var outcome = run(engine, bundle.shell("touch /etc/escape/inside && echo written"));
        assertEquals("written\n", outcome.stdout(), outcome.stderr());
        assertEquals(
                java.util.List.of(), java.nio.file.Files.list(target).toList(), "nothing reached the host directory");
        assertTrue(dev.canal.runtime.testing.MountTable.current().stream()
                .noneMatch(m -> m.startsWith(target.toString())));
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aBindOntoADanglingSymlinkIsMadeWhereTheLinkPointsInsideTheRootfs(EngineChoice engine) throws Exception {
        // As runc's securejoin: the link is resolved as if the rootfs were /, its missing target
        // made there, and the mount lands on it; resolved on the host it would be a host path.
        Path outside = work.resolve("outside");
        Path source = java.nio.file.Files.writeString(work.resolve("greeting"), "bound\n");
        var bundle = bundle();
        java.nio.file.Files.createSymbolicLink(
                work.resolve("bundle/rootfs/etc/dangling"), Path.of("/../../../../../../" + outside + "/greeting"));
        bundle.edit(c -> ((tools.jackson.databind.node.ArrayNode) c.get("mounts"))
                .addObject()
                .put("destination", "/etc/dangling")
                .put("type", "bind")
                .put("source", source.toString())
                .putArray("options")
                .add("bind")
                .add("ro"));
        // Inside, the link's target is the mount point (there on the container's /tmp).
        var outcome = run(engine, bundle.shell("cat /etc/dangling " + outside + "/greeting"));
        assertEquals("bound\nbound\n", outcome.stdout(), outcome.stderr());
        assertTrue(java.nio.file.Files.notExists(outside), "nothing was made on the host");
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void rootfsPropagationSetsTheRootMountsPropagation(EngineChoice engine) throws Exception {
        // mountinfo's optional fields name a peer group (shared:N) or a master (master:N).
        String script =
                "awk '$5 == \"/\" { for (i = 7; $i != \"-\"; i++) printf \"%s \", $i; print \"end\" }' /proc/self/mountinfo";
        var shared = run(
                engine,
                bundle().edit(c -> ((tools.jackson.databind.node.ObjectNode) c.get("linux"))
                                .put("rootfsPropagation", "rshared"))
                        .shell(script));
        assertTrue(shared.stdout().startsWith("shared:"), shared.stdout() + shared.stderr());
        var isolated = run(
                engine,
                TestBundle.create(work.resolve("private"))
                        .edit(c -> ((tools.jackson.databind.node.ObjectNode) c.get("linux"))
                                .put("rootfsPropagation", "rprivate"))
                        .shell(script));
        assertEquals("end\n", isolated.stdout(), isolated.stderr());
    }
}
