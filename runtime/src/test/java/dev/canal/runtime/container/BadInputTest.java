package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.oci.InvalidSpecException;
import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.testing.HostSnapshot;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bad input gets a one-line error naming the item, and leaves the host as it was: no mounts,
 * no processes, no cgroups, no state.
 */
@RequiresRoot
class BadInputTest {

    @TempDir
    Path work;

    private Exception createFails(EngineChoice engine, TestBundle bundle) throws Exception {
        Path bundleDirectory = bundle.write();
        var containers = new Containers(work.resolve("state"));
        HostSnapshot before = HostSnapshot.take();
        Exception error = null;
        try {
            // A create that wrongly succeeds is deleted before the test fails.
            containers
                    .create("bad", bundleDirectory, new CreateOptions(engine, Stdio.inherit()))
                    .delete(true);
        } catch (RuntimeException e) {
            error = e;
        }
        assertNotNull(error, "create must fail");
        assertEquals(before, HostSnapshot.take(), "the host is as it was");
        assertFalse(Files.exists(work.resolve("state/bad")), "no state directory is left");
        assertFalse(error.getMessage().contains("\n"), "one line: " + error.getMessage());
        return error;
    }

    private TestBundle bundle() throws Exception {
        return TestBundle.create(work.resolve("bundle"));
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aMissingRootfs(EngineChoice engine) throws Exception {
        var error = createFails(
                engine,
                bundle().edit(c -> ((tools.jackson.databind.node.ObjectNode) c.get("root")).put("path", "nowhere")));
        assertEquals("root.path: " + work.resolve("bundle/nowhere") + ": no such directory", error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aNonexistentProgram(EngineChoice engine) throws Exception {
        var error = createFails(engine, bundle().args("no-such-program", "x"));
        assertEquals("process.args[0]: \"no-such-program\": executable file not found in $PATH", error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void anUnknownMountType(EngineChoice engine) throws Exception {
        var error = createFails(
                engine,
                bundle().edit(c -> ((tools.jackson.databind.node.ArrayNode) c.get("mounts"))
                        .addObject()
                        .put("destination", "/data")
                        .put("type", "canalfs")
                        .put("source", "none")));
        assertTrue(error.getMessage().startsWith("mounts[7] (canalfs on /data): mount("), error.getMessage());
        assertTrue(error.getMessage().endsWith(", canalfs): ENODEV (No such device)"), error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void anUnknownNamespaceIsRejectedBeforeAnythingHappens(EngineChoice engine) throws Exception {
        var error = createFails(engine, bundle().namespace("pidd"));
        assertTrue(error instanceof InvalidSpecException, error.toString());
        assertTrue(
                error.getMessage().contains("linux.namespaces[5].type: unknown namespace \"pidd\""),
                error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aHostnameWithoutItsOwnUtsNamespaceWouldRenameTheHost(EngineChoice engine) throws Exception {
        var error = createFails(engine, bundle().withoutNamespaces("uts"));
        assertEquals("hostname: setting it needs a uts namespace in linux.namespaces", error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aSysctlOutsideTheContainersNamespacesIsRefusedAndTheHostKeepsItsValue(EngineChoice engine) throws Exception {
        Path swappiness = Path.of("/proc/sys/vm/swappiness");
        Path domainname = Path.of("/proc/sys/kernel/domainname");
        String hostSwappiness = Files.readString(swappiness);
        String hostDomainname = Files.readString(domainname);
        try {
            String otherSwappiness = hostSwappiness.strip().equals("1") ? "2" : "1";
            var global = createFails(
                    engine,
                    bundle().edit(c -> ((tools.jackson.databind.node.ObjectNode) c.get("linux"))
                            .putObject("sysctl")
                            .put("vm.swappiness", otherSwappiness)));
            assertEquals(
                    "linux.sysctl[\"vm.swappiness\"]: sysctl \"vm.swappiness\" is not in a separate kernel namespace",
                    global.getMessage());
            assertEquals(hostSwappiness, Files.readString(swappiness), "the host's vm.swappiness");
            // kernel.domainname is per uts namespace: without one of the container's it is the host's.
            var noUts = createFails(
                    engine,
                    TestBundle.create(work.resolve("no-uts"))
                            .withoutNamespaces("uts")
                            .edit(c -> {
                                c.remove("hostname");
                                ((tools.jackson.databind.node.ObjectNode) c.get("linux"))
                                        .putObject("sysctl")
                                        .put("kernel.domainname", "canal-must-not-be-set");
                            }));
            assertEquals(
                    "linux.sysctl[\"kernel.domainname\"]: sysctl \"kernel.domainname\" is not in a separate kernel namespace",
                    noUts.getMessage());
            assertEquals(hostDomainname, Files.readString(domainname), "the host's domain name");
        } finally {
            restore(swappiness, hostSwappiness);
            restore(domainname, hostDomainname);
        }
    }

    /** Puts a host sysctl back, should a failing create have changed it. */
    private static void restore(Path sysctl, String value) throws java.io.IOException {
        if (!Files.readString(sysctl).equals(value)) {
            Files.writeString(sysctl, value);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void procfsOrSysfsOnASymlinkInTheImageIsRefusedAsRuncDoes(EngineChoice engine) throws Exception {
        assertEquals(
                "mounts[0] (proc on /proc): filesystem \"proc\" must be mounted on ordinary directory",
                createFails(engine, imageWithSymlink("proc-link", "proc", "/etc"))
                        .getMessage());
        assertEquals(
                "mounts[5] (sysfs on /sys): filesystem \"sysfs\" must be mounted on ordinary directory",
                createFails(engine, imageWithSymlink("sys-link", "sys", "dangling"))
                        .getMessage());
    }

    /** A bundle in {@code directory} whose image has, in place of its directory /{@code name}, a symlink. */
    private TestBundle imageWithSymlink(String directory, String name, String target) throws Exception {
        var bundle = TestBundle.create(work.resolve(directory));
        Path link = work.resolve(directory + "/rootfs/" + name);
        Files.delete(link);
        Files.createSymbolicLink(link, Path.of(target));
        return bundle;
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void anUnknownCapability(EngineChoice engine) throws Exception {
        var error = createFails(
                engine,
                bundle().edit(c -> ((tools.jackson.databind.node.ObjectNode) c.get("process"))
                        .putObject("capabilities")
                        .putArray("bounding")
                        .add("CAP_KILL")
                        .add("CAP_FLY")));
        assertTrue(error instanceof InvalidSpecException, error.toString());
        assertTrue(
                error.getMessage().endsWith("process.capabilities.bounding[1]: unknown capability \"CAP_FLY\""),
                error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void anUnknownRlimit(EngineChoice engine) throws Exception {
        var error = createFails(
                engine,
                bundle().edit(c -> ((tools.jackson.databind.node.ArrayNode)
                                c.get("process").get("rlimits"))
                        .addObject()
                        .put("type", "RLIMIT_FLY")
                        .put("hard", 1)
                        .put("soft", 1)));
        assertTrue(
                error.getMessage().endsWith("process.rlimits[1].type: unknown rlimit \"RLIMIT_FLY\""),
                error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void anOomScoreOutOfRange(EngineChoice engine) throws Exception {
        var error = createFails(
                engine,
                bundle().edit(c ->
                        ((tools.jackson.databind.node.ObjectNode) c.get("process")).put("oomScoreAdj", 5000)));
        assertTrue(
                error.getMessage().endsWith("process.oomScoreAdj: 5000 is outside -1000 to 1000"), error.getMessage());
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void anAppArmorProfileIsNotSilentlyIgnored(EngineChoice engine) throws Exception {
        var error = createFails(
                engine,
                bundle().edit(c -> ((tools.jackson.databind.node.ObjectNode) c.get("process"))
                        .put("apparmorProfile", "docker-default")));
        assertTrue(error.getMessage().startsWith("process.apparmorProfile: "), error.getMessage());
    }

    /** Found by ConfigMutationTest: a NullPointerException from resolving the missing source. */
    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aBindMountWithoutASource(EngineChoice engine) throws Exception {
        var error = createFails(
                engine,
                bundle().edit(c -> ((tools.jackson.databind.node.ArrayNode) c.get("mounts"))
                        .addObject()
                        .put("destination", "/data")
                        .put("type", "bind")
                        .putArray("options")
                        .add("rbind")));
        assertTrue(error instanceof InvalidSpecException, error.toString());
        assertEquals("config.json: mounts[7].source: missing: a bind mount needs one", error.getMessage());
    }

    /** Found by ConfigMutationTest: the lookup's ENAMETOOLONG came without the field. */
    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aProgramPathTheKernelCannotLookUp(EngineChoice engine) throws Exception {
        String tooLong = "/" + "n".repeat(300);
        var error = createFails(engine, bundle().args(tooLong));
        assertTrue(
                error.getMessage().startsWith("process.args[0]: \"/" + "n".repeat(99) + "\"... (301 characters): "),
                error.getMessage());
        assertTrue(error.getMessage().endsWith(": ENAMETOOLONG (File name too long)"), error.getMessage());
    }

    /** Found by ConfigMutationTest: the path was quoted back with its newline, on two lines. */
    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aRootPathWithANewline(EngineChoice engine) throws Exception {
        var error = createFails(
                engine,
                bundle().edit(c ->
                        ((tools.jackson.databind.node.ObjectNode) c.get("root")).put("path", "line\nbreak")));
        assertEquals("root.path: " + work.resolve("bundle") + "/line\\nbreak: no such directory", error.getMessage());
    }

    /** Found by ConfigMutationTest: the console's openat2(/dev/pts/ptmx) failed without naming the field. */
    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aTerminalWithoutADevptsMount(EngineChoice engine) throws Exception {
        var error = createFails(engine, bundle().edit(c -> {
            ((tools.jackson.databind.node.ObjectNode) c.get("process")).put("terminal", true);
            ((tools.jackson.databind.node.ArrayNode) c.get("mounts")).remove(2);
        }));
        assertTrue(error.getMessage().startsWith("process.terminal: "), error.getMessage());
    }

    /** Found by ConfigMutationTest: the write's EINVAL, or the open's ENOENT, came without the field. */
    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aSysctlThatIsNotThereOrAValueItRefuses(EngineChoice engine) throws Exception {
        var bundle = bundle();
        var unknown = createFails(
                engine,
                bundle.edit(c -> ((tools.jackson.databind.node.ObjectNode) c.get("linux"))
                        .putObject("sysctl")
                        .put("net.canal.none", "1")));
        assertTrue(unknown.getMessage().startsWith("linux.sysctl[\"net.canal.none\"]: "), unknown.getMessage());
        assertTrue(unknown.getMessage().endsWith(": ENOENT (No such file or directory)"), unknown.getMessage());
        var refused = createFails(
                engine,
                bundle.edit(c -> ((tools.jackson.databind.node.ObjectNode) c.get("linux"))
                        .putObject("sysctl")
                        .put("net.ipv4.ip_unprivileged_port_start", "low")));
        assertTrue(
                refused.getMessage().startsWith("linux.sysctl[\"net.ipv4.ip_unprivileged_port_start\"]: "),
                refused.getMessage());
    }

    /**
     * Found by ConfigMutationTest: a gid of 2^31 or more is valid, but reading it back from
     * /proc/PID/status (to set the rlimits as the process's user) threw NumberFormatException.
     */
    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void anIdOfTwoToTheThirtyFirstOrMoreIsNoBadInput(EngineChoice engine) throws Exception {
        var bundle = bundle().shell("id -u; id -g");
        ((tools.jackson.databind.node.ObjectNode) bundle.process().get("user"))
                .put("uid", 2147483648L)
                .put("gid", 4294967294L);
        var outcome = dev.canal.runtime.testing.ContainerRun.run(
                new Containers(work.resolve("state")), "high-ids", bundle.write(), engine);
        assertEquals("2147483648\n4294967294\n", outcome.stdout(), outcome.stderr());
    }

    @org.junit.jupiter.api.Test
    void mountsWithoutAMountNamespaceAreRefusedNamingEachField() throws Exception {
        var error = createFails(EngineChoice.AUTO, bundle().withoutNamespaces("mount"));
        assertEquals(
                "mounts, root.readonly, linux.maskedPaths, linux.readonlyPaths: set without a mount namespace in"
                        + " linux.namespaces; without one Canal only chroots into root.path and mounts nothing in the"
                        + " caller's mount namespace",
                error.getMessage());
    }
}
