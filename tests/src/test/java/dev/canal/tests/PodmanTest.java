package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * podman (through conmon) driving bin/canal-oci as its OCI runtime, end to end: run, exit
 * codes, detached containers with exec, stop and rm, a terminal through --console-socket, and a
 * memory limit. podman gets a private containers.conf, storage.conf, --root, --runroot and
 * --tmpdir under a temporary directory, so the host's podman state is untouched; the state
 * is reset and removed afterwards.
 */
@RequiresRoot
class PodmanTest {

    private static final String IMAGE =
            "localhost/canal-busybox-" + UUID.randomUUID().toString().substring(0, 8);

    private static Path work;
    private static List<String> podman;
    private static Map<String, String> environment;

    @BeforeAll
    static void privatePodmanWithABusyboxImage() throws Exception {
        work = Files.createTempDirectory("canal-podman");
        // CAP_SYS_RESOURCE may be missing (nested containers): podman's default ulimits would fail.
        Path containersConf = Files.writeString(work.resolve("containers.conf"), """
                [containers]
                default_ulimits = ["nofile=1024:1024", "nproc=1024:1024"]
                [engine]
                cgroup_manager = "cgroupfs"
                events_logger = "file"
                """);
        Path storageConf = Files.writeString(
                work.resolve("storage.conf"), """
                [storage]
                driver = "overlay"
                graphroot = "%s"
                runroot = "%s"
                """.formatted(work.resolve("root"), work.resolve("runroot")));
        podman = List.of(
                "podman",
                "--root",
                work.resolve("root").toString(),
                "--runroot",
                work.resolve("runroot").toString(),
                "--tmpdir",
                work.resolve("tmp").toString(),
                "--runtime",
                CanalHome.ROOT.resolve("bin/canal-oci").toString(),
                "--cgroup-manager",
                "cgroupfs",
                "--events-backend",
                "file");
        environment =
                Map.of("CONTAINERS_CONF", containersConf.toString(), "CONTAINERS_STORAGE_CONF", storageConf.toString());
        var imported = podman("import", BusyboxTar.create(work).toString(), IMAGE);
        assertEquals(0, imported.exitCode(), imported.stderr());
    }

    @AfterAll
    static void resetAndRemove() throws Exception {
        if (podman != null) {
            podman("rm", "--all", "--force", "--time", "0");
            podman("system", "reset", "--force");
        }
        try (var walk = Files.walk(work)) {
            walk.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
        }
    }

    @Test
    void runPrintsAndPassesTheExitCodeOn() throws Exception {
        var hi = podman("run", "--rm", "--network", "none", IMAGE, "echo", "hi");
        assertEquals(0, hi.exitCode(), hi.stderr());
        assertEquals("hi\n", hi.stdout());
        var three = podman("run", "--rm", "--network", "none", IMAGE, "sh", "-c", "exit 3");
        assertEquals(3, three.exitCode(), three.stderr());
        var devNull = podman("run", "--rm", "--network", "none", IMAGE, "sh", "-c", "echo x > /dev/null && echo ok");
        assertEquals("ok\n", devNull.stdout(), devNull.stderr());
    }

    @Test
    void detachedThenExecStopAndRm() throws Exception {
        String name = "canal-d-" + UUID.randomUUID().toString().substring(0, 8);
        var run = podman("run", "-d", "--name", name, "--network", "none", IMAGE, "sleep", "600");
        assertEquals(0, run.exitCode(), run.stderr());
        // The exec'd shell is born in the container's pid namespace: pid 1 is sleep, it is not.
        var exec = podman("exec", name, "sh", "-c", "cat /proc/1/cmdline; echo; echo $$; exit 4");
        assertEquals(4, exec.exitCode(), exec.stderr());
        List<String> lines = exec.stdout().lines().toList();
        assertEquals("sleep600", lines.get(0).replace("\0", ""));
        assertTrue(Integer.parseInt(lines.get(1)) < 100, "a pid of the container's namespace: " + lines.get(1));
        var stop = podman("stop", "--time", "1", name);
        assertEquals(0, stop.exitCode(), stop.stderr());
        assertEquals(
                "exited",
                podman("inspect", "--format", "{{.State.Status}}", name)
                        .stdout()
                        .strip());
        var rm = podman("rm", name);
        assertEquals(0, rm.exitCode(), rm.stderr());
        assertEquals(
                "", podman("ps", "--all", "--quiet", "--filter", "name=" + name).stdout());
    }

    @Test
    void aTerminalComesThroughTheConsoleSocket() throws Exception {
        var tty = podman("run", "--rm", "-t", "--network", "none", IMAGE, "sh", "-c", "tty; exit 6");
        assertEquals(6, tty.exitCode(), tty.stderr());
        assertEquals("/dev/pts/0\r\n", tty.stdout());
    }

    @Test
    void theMemoryLimitIsEnforced() throws Exception {
        String name = "canal-m-" + UUID.randomUUID().toString().substring(0, 8);
        assertEquals(
                0,
                podman("run", "-d", "--name", name, "--memory", "32m", "--network", "none", IMAGE, "sleep", "600")
                        .exitCode());
        try {
            String cgroups = podman("exec", name, "cat", "/proc/self/cgroup").stdout();
            String limit = Files.readString(memoryLimitFile(cgroups)).strip();
            assertTrue(limit.equals("33554432"), "memory limit " + limit);
            // A shell doubling a string until it is killed: by the OOM killer of its cgroup.
            var hog = podman("exec", name, "sh", "-c", "a=x; while true; do a=$a$a; done");
            assertEquals(137, hog.exitCode(), hog.stderr());
        } finally {
            podman("rm", "--force", "--time", "0", name);
        }
    }

    /** memory.limit_in_bytes of the memory controller (v1), or memory.max of the v2 group. */
    private static Path memoryLimitFile(String procSelfCgroup) {
        for (String line : procSelfCgroup.lines().toList()) {
            String[] fields = line.split(":", 3);
            if (List.of(fields[1].split(",")).contains("memory")) {
                return Path.of("/sys/fs/cgroup/memory" + fields[2], "memory.limit_in_bytes");
            }
        }
        String unified = procSelfCgroup
                .lines()
                .filter(line -> line.startsWith("0::"))
                .findFirst()
                .orElseThrow()
                .substring(3);
        return Path.of("/sys/fs/cgroup" + unified, "memory.max");
    }

    private static CanalHome.Result podman(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(podman);
        command.addAll(List.of(args));
        return CanalHome.run(command, environment, 180);
    }
}
