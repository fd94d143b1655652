package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.ns.IdMappings;
import dev.canal.runtime.ns.NamespaceType;
import dev.canal.runtime.oci.Spec;
import dev.canal.runtime.rootfs.RootfsPlan;
import dev.canal.runtime.seccomp.SeccompCache;
import dev.canal.runtime.spawn.Stdio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A config in, the plans the engines and the rootfs builder work from out; nothing is created. */
class SpecTranslationTest {

    @TempDir
    Path bundle;

    private static Spec spec(String fields) {
        return Spec.parse("{\"ociVersion\": \"1.2.1\", \"root\": {\"path\": \"rootfs\"}, " + fields + "}");
    }

    private Path rootfsWith(String... executables) throws Exception {
        Path rootfs = Files.createDirectories(bundle.resolve("rootfs"));
        for (String executable : executables) {
            Path file = rootfs.resolve(executable.substring(1));
            Files.createDirectories(file.getParent());
            Files.writeString(file, "#!/bin/sh\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return rootfs;
    }

    @Test
    void namespacesWithoutAPathAreCreatedAndWithOneJoined() {
        var plan = SpecTranslation.namespaces(spec("""
                "linux": {"namespaces": [{"type": "pid"}, {"type": "mount"}, {"type": "network", "path": "/run/netns/x"},
                  {"type": "user"}],
                  "uidMappings": [{"containerID": 0, "hostID": 100000, "size": 65536}],
                  "gidMappings": [{"containerID": 0, "hostID": 200000, "size": 1000}]}"""));
        assertEquals(List.of(NamespaceType.PID, NamespaceType.MOUNT, NamespaceType.USER), plan.create());
        assertEquals(Map.of(NamespaceType.NETWORK, "/run/netns/x"), plan.join());
        assertEquals(List.of(new IdMappings.Range(0, 100000, 65536)), plan.uidMappings());
        assertEquals(List.of(new IdMappings.Range(0, 200000, 1000)), plan.gidMappings());
    }

    @Test
    void aHostnameWithoutAUtsNamespaceWouldRenameTheHostAndIsRefused() {
        var refused = assertThrows(
                ContainerException.class,
                () -> SpecTranslation.namespaces(
                        spec("\"hostname\": \"box\", \"linux\": {\"namespaces\": [{\"type\": \"mount\"}]}")));
        assertEquals("hostname: setting it needs a uts namespace in linux.namespaces", refused.getMessage());
    }

    @Test
    void theRootfsAndBindSourcesResolveAgainstTheBundleAndTheDevicesFollowTheDefaults() throws Exception {
        Path rootfs = rootfsWith();
        var plan = SpecTranslation.rootfs(spec("""
                        "root": {"path": "rootfs", "readonly": true},
                        "mounts": [{"destination": "/proc", "type": "proc", "source": "proc"},
                          {"destination": "/data", "source": "data", "options": ["rbind", "ro"]},
                          {"destination": "/dev/pts", "type": "devpts", "source": "devpts"}],
                        "process": {"terminal": true, "args": ["sh"], "consoleSize": {"height": 24, "width": 80}},
                        "linux": {"namespaces": [{"type": "mount"}, {"type": "cgroup"}],
                          "devices": [{"path": "/dev/fuse", "type": "c", "major": 10, "minor": 229}],
                          "maskedPaths": ["/proc/kcore"], "readonlyPaths": ["/proc/sys"]}"""), bundle, "c1");
        assertEquals(rootfs.toString(), plan.rootfs());
        assertTrue(plan.readonly());
        assertEquals(
                List.of(
                        new RootfsPlan.Mount("/proc", "proc", "proc", List.of()),
                        new RootfsPlan.Mount(
                                "/data", null, bundle.resolve("data").toString(), List.of("rbind", "ro")),
                        new RootfsPlan.Mount("/dev/pts", "devpts", "devpts", List.of())),
                plan.mounts());
        assertEquals(
                List.of("/dev/null", "/dev/random", "/dev/full", "/dev/tty", "/dev/zero", "/dev/urandom", "/dev/fuse"),
                plan.devices().stream().map(RootfsPlan.Device::path).toList());
        assertEquals(
                new RootfsPlan.Device("/dev/fuse", 'c', 10, 229, 0666, 0, 0),
                plan.devices().getLast());
        assertEquals(List.of("/proc/kcore"), plan.maskedPaths());
        assertEquals(List.of("/proc/sys"), plan.readonlyPaths());
        // A devpts of its own on /dev/pts: the terminal is its first pty, as under docker.
        assertEquals(new RootfsPlan.Console("/dev/pts/0", 24, 80, 0, 0), plan.console());
        assertNull(plan.containerCgroup(), "a cgroup namespace of its own shows its cgroup as the root");
    }

    @Test
    void aMissingRootfsIsRefusedBeforeAnythingExists() {
        var refused = assertThrows(
                ContainerException.class, () -> SpecTranslation.rootfs(spec("\"linux\": {}"), bundle, "c1"));
        assertEquals("root.path: " + bundle.resolve("rootfs") + ": no such directory", refused.getMessage());
    }

    @Test
    void theProgramIsLookedUpInTheContainersPathWithTheProcesssIdentity() throws Exception {
        Path rootfs = rootfsWith("/usr/bin/tool", "/bin/tool");
        var plan = SpecTranslation.process(spec("""
                        "process": {"args": ["tool", "-x"], "env": ["PATH=/usr/bin:/bin", "A=1"], "cwd": "/tmp",
                          "user": {"uid": 1000, "gid": 100, "umask": 18, "additionalGids": [5, 6]},
                          "noNewPrivileges": true}"""), rootfs.toString(), Stdio.inherit(), noFilters());
        assertEquals("/usr/bin/tool", plan.executable());
        assertEquals(List.of("tool", "-x"), plan.args());
        assertEquals(List.of("PATH=/usr/bin:/bin", "A=1"), plan.env());
        assertEquals("/tmp", plan.cwd());
        assertEquals(1000, plan.uid());
        assertEquals(100, plan.gid());
        assertArrayEquals(new int[] {5, 6}, plan.groups());
        assertEquals(18, plan.umask());
        assertTrue(plan.privileges().noNewPrivileges());
        assertNull(plan.privileges().capabilities(), "no capabilities section: the sets are left as they are");
        assertNull(plan.console());
    }

    @Test
    void aProgramNotInThePathAndNoProgramAtAllAreRefused() throws Exception {
        Path rootfs = rootfsWith("/bin/sh");
        var missing = assertThrows(
                ContainerException.class,
                () -> SpecTranslation.process(
                        spec("\"process\": {\"args\": [\"nope\"], \"cwd\": \"/\"}"),
                        rootfs.toString(),
                        Stdio.inherit(),
                        noFilters()));
        assertEquals("process.args[0]: \"nope\": executable file not found in $PATH", missing.getMessage());
        var none = assertThrows(
                ContainerException.class,
                () -> SpecTranslation.process(
                        spec("\"process\": {\"args\": []}"), rootfs.toString(), Stdio.inherit(), noFilters()));
        assertEquals("process.args: a container needs a program to run", none.getMessage());
    }

    /** A state root that does not exist: nothing is cached. */
    private SeccompCache noFilters() {
        return SeccompCache.under(bundle.resolve("no-state-root"));
    }
}
