package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.oci.Spec;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** config.json from a run's settings, checked without a container (EnvironmentTest and VolumeTest have the merge rules). */
class ContainerConfigTest {

    @Test
    void withTheHostsNetworkTheContainerHasNoNetworkNamespace() {
        assertEquals(
                List.of("pid", "network", "ipc", "uts", "mount", "cgroup"),
                namespaceTypes(runConfig(false)),
                "--network none: a namespace of its own");
        assertEquals(List.of("pid", "ipc", "uts", "mount", "cgroup"), namespaceTypes(runConfig(true)));
    }

    @Test
    void sharingAnotherContainersNetworkJoinsItsNamespaceByPath() {
        var namespaces = Spec.parse(ContainerConfig.json(runConfig(false, "/proc/4242/ns/net")))
                .linux()
                .namespaces();
        assertEquals(
                List.of("/proc/4242/ns/net"),
                namespaces.stream()
                        .filter(namespace -> namespace.type().equals("network"))
                        .map(namespace -> namespace.path())
                        .toList());
        assertEquals(
                1,
                namespaces.stream()
                        .filter(namespace -> namespace.path() != null)
                        .count(),
                "the other namespaces are new ones");
    }

    private static List<String> namespaceTypes(RunConfig run) {
        return Spec.parse(ContainerConfig.json(run)).linux().namespaces().stream()
                .map(namespace -> namespace.type())
                .toList();
    }

    private static RunConfig runConfig(boolean hostNetwork) {
        return runConfig(hostNetwork, null);
    }

    private static RunConfig runConfig(boolean hostNetwork, String sharedNetwork) {
        return new RunConfig(
                List.of("sh", "-c", "true"),
                List.of("PATH=/bin"),
                "/work",
                new UserResolution(1000, 1000, List.of(2000L), "/home/user"),
                "abcdef012345",
                "merged",
                true,
                40,
                120,
                List.of(new Volume(Path.of("/tmp"), "/data", true)),
                new Resources(
                        new Resources.Cpu(512, 1_500_000_000L, 0, 0, "0", ""),
                        new Resources.Memory(32L << 20, 64L << 20, 0, false),
                        64L,
                        Resources.BlockIo.NONE,
                        List.of(),
                        1L << 20),
                true,
                hostNetwork,
                sharedNetwork,
                // docker's defaults for the rest: its capabilities, no extra mounts or limits.
                ContainerConfig.DOCKER_CAPABILITIES,
                false,
                Map.of(),
                false,
                true);
    }

    @Test
    void theConfigIsAValidSpecWithTheRunsSettings() {
        var run = runConfig(false);
        Spec spec = Spec.parse(ContainerConfig.json(run));
        assertEquals("abcdef012345", spec.hostname());
        assertEquals(false, spec.root().readonly());
        assertEquals(List.of("sh", "-c", "true"), spec.process().args());
        assertEquals(2000L, spec.process().user().additionalGids().getFirst());
        assertEquals(40, spec.process().consoleSize().height());
        assertEquals(
                ContainerConfig.DOCKER_CAPABILITIES,
                spec.process().capabilities().bounding());
        assertEquals(List.of(), spec.process().rlimits());
        assertEquals("/data", spec.mounts().getLast().destination());
        assertEquals(List.of("rbind", "rprivate", "ro"), spec.mounts().getLast().options());
        var resources = spec.linux().resources();
        assertEquals(32L << 20, resources.memory().limit());
        assertEquals(64L << 20, resources.memory().swap(), "memory plus swap: twice the limit, as docker");
        assertEquals(150_000L, resources.cpu().quota());
        assertEquals(100_000L, resources.cpu().period());
        assertEquals(64, resources.pids().limit());
        assertEquals(512L, resources.cpu().shares());
        assertEquals("0", resources.cpu().cpus());
        assertTrue(
                spec.mounts().stream()
                        .anyMatch(mount -> mount.destination().equals("/dev/shm")
                                && mount.options().contains("size=1048576")),
                "--shm-size sizes the /dev/shm tmpfs");
        assertEquals(false, resources.devices().getFirst().allow());
    }
}
