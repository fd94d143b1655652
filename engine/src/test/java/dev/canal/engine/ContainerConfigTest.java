package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.oci.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The merge rules of a container's config that need no container: environment, volumes, config.json (moved from the cli with them). */
class ContainerConfigTest {

    @Test
    void laterVariablesReplaceEarlierOnesInPlace() {
        var environment = Environment.base("abc", true)
                .with(List.of("PATH=/image/bin", "IMAGE=1", "KEEP=image"))
                .withOptions(List.of("IMAGE=2", "FROM_CALLER", "UNSET_IN_CALLER"), Map.of("FROM_CALLER", "x"), "-e");
        assertEquals(
                List.of("PATH=/image/bin", "HOSTNAME=abc", "TERM=xterm", "IMAGE=2", "KEEP=image", "FROM_CALLER=x"),
                environment.toList());
        assertEquals(
                "-e =x: not NAME=value",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Environment.base("h", false).withOptions(List.of("=x"), Map.of(), "-e"))
                        .getMessage());
    }

    @Test
    void volumesNeedAbsolutePaths() {
        assertEquals(new Volume(Path.of("/tmp"), "/data", true), Volume.parse("/tmp:/data:ro"));
        assertEquals(List.of("rbind", "rprivate"), Volume.parse("/tmp:/data").options());
        assertEquals(
                "-v /tmp:/data:rx: unknown option \"rx\" (ro or rw)",
                assertThrows(IllegalArgumentException.class, () -> Volume.parse("/tmp:/data:rx"))
                        .getMessage());
        assertEquals(
                "-v /tmp:data: the container path must be absolute",
                assertThrows(IllegalArgumentException.class, () -> Volume.parse("/tmp:data"))
                        .getMessage());
    }

    @Test
    void aMissingHostPathIsMadeAsDirectoriesAndTheMadeOnesAreListed(@TempDir Path temporary) throws Exception {
        Path nested = temporary.resolve("a/b/c");
        Volume volume = Volume.parse(nested + ":/data:ro");
        assertEquals(List.of(temporary.resolve("a"), temporary.resolve("a/b"), nested), volume.createMissingSource());
        assertTrue(Files.isDirectory(nested));
        assertEquals(List.of(), volume.createMissingSource(), "nothing to make the second time");
    }

    @Test
    void withTheHostsNetworkTheContainerHasNoNetworkNamespace() {
        assertEquals(
                List.of("pid", "network", "ipc", "uts", "mount", "cgroup"),
                namespaceTypes(runConfig(false)),
                "--network none: a namespace of its own");
        assertEquals(List.of("pid", "ipc", "uts", "mount", "cgroup"), namespaceTypes(runConfig(true)));
    }

    private static List<String> namespaceTypes(RunConfig run) {
        return Spec.parse(ContainerConfig.json(run)).linux().namespaces().stream()
                .map(namespace -> namespace.type())
                .toList();
    }

    private static RunConfig runConfig(boolean hostNetwork) {
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
                32L << 20,
                true,
                150_000,
                64,
                hostNetwork);
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
        assertEquals(false, resources.devices().getFirst().allow());
    }
}
