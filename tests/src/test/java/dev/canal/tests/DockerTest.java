package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * Debian's docker.io driving bin/canal-oci through containerd's runc shim, end to end: run,
 * exit codes, a detached container with exec, stop and rm, and a terminal. dockerd is the test's
 * own ({@link PrivateDockerd}), started with {@code --add-runtime canal=bin/canal-oci}; every
 * container is run with {@code --runtime canal}.
 */
@RequiresRoot
class DockerTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String IMAGE =
            "canal-busybox-" + UUID.randomUUID().toString().substring(0, 8);

    private static PrivateDockerd dockerd;

    @BeforeAll
    static void privateDockerdWithABusyboxImage() throws Exception {
        dockerd = PrivateDockerd.start();
        var imported =
                dockerd.docker("import", BusyboxTar.create(dockerd.work()).toString(), IMAGE);
        assertEquals(0, imported.exitCode(), imported.stderr());
    }

    @AfterAll
    static void stopAndRemove() throws Exception {
        if (dockerd != null) {
            dockerd.close();
        }
    }

    @Test
    void runPrintsAndPassesTheExitCodeOn() throws Exception {
        var hi = runOnCanal("--rm", IMAGE, "echo", "hi");
        assertEquals(0, hi.exitCode(), hi.stderr());
        assertEquals("hi\n", hi.stdout());
        var seven = runOnCanal("--rm", IMAGE, "sh", "-c", "exit 7");
        assertEquals(7, seven.exitCode(), seven.stderr());
    }

    @Test
    void detachedThenExecStopAndRm() throws Exception {
        String name = "canal-d-" + UUID.randomUUID().toString().substring(0, 8);
        var run = runOnCanal("-d", "--name", name, "--pids-limit", "50", IMAGE, "sleep", "600");
        assertEquals(0, run.exitCode(), run.stderr());
        String id = run.stdout().strip();
        // canal-oci holds the container: its state, under the --root the shim passes, has docker's pid.
        Path canalRoot = canalRoot(id);
        var state = OciBundle.oci(canalRoot.toString(), "state", id);
        assertEquals(0, state.exitCode(), state.stderr());
        var json = JSON.readTree(state.stdout());
        assertEquals("running", json.get("status").asString(), state.stdout());
        String pid = dockerd.docker("inspect", "--format", "{{.State.Pid}}", name)
                .stdout()
                .strip();
        assertEquals(pid, json.get("pid").asString(), state.stdout());

        // The exec'd shell is born in the container's pid namespace: pid 1 is sleep, it is not.
        // /sys/fs/cgroup shows the container's own cgroups: its pids.max (v1 without a cgroup namespace, or v2).
        var exec = dockerd.docker(
                "exec",
                name,
                "sh",
                "-c",
                "cat /proc/1/cmdline; echo; echo $$; cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max; exit 4");
        assertEquals(4, exec.exitCode(), exec.stderr());
        List<String> lines = exec.stdout().lines().toList();
        assertEquals("sleep600", lines.get(0).replace("\0", ""));
        assertTrue(Integer.parseInt(lines.get(1)) < 100, "a pid of the container's namespace: " + lines.get(1));
        assertEquals("50", lines.get(2), exec.stdout());

        var stop = dockerd.docker("stop", "--time", "1", name);
        assertEquals(0, stop.exitCode(), stop.stderr());
        // sleep as pid 1 has no SIGTERM handler, so the kernel ignores SIGTERM: SIGKILL after 1 s.
        assertEquals(
                "exited 137",
                dockerd.docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name)
                        .stdout()
                        .strip());
        var rm = dockerd.docker("rm", name);
        assertEquals(0, rm.exitCode(), rm.stderr());
        assertEquals(
                "",
                dockerd.docker("ps", "--all", "--quiet", "--filter", "name=" + name)
                        .stdout());
        assertTrue(Files.notExists(canalRoot.resolve(id)), "canal-oci's state of " + id + " is left");
    }

    @Test
    void aTerminalComesThroughTheConsoleSocket() throws Exception {
        var tty = runOnCanal("--rm", "-t", IMAGE, "sh", "-c", "tty; exit 6");
        assertEquals(6, tty.exitCode(), tty.stderr());
        assertEquals("/dev/pts/0\r\n", tty.stdout());
    }

    /** `docker run --runtime canal --network none ARGS...`. */
    private static CanalHome.Result runOnCanal(String... args) throws Exception {
        return dockerd.docker(
                Stream.concat(Stream.of("run", "--runtime", "canal", "--network", "none"), Stream.of(args))
                        .toArray(String[]::new));
    }

    /**
     * The --root containerd's shim gives canal-oci: a directory of dockerd's exec root, named after
     * the runtime by dockerd ("runtime-runc/moby" in 20.10), that holds the container's state.
     */
    private static Path canalRoot(String id) throws Exception {
        try (Stream<Path> roots = Files.find(
                dockerd.work().resolve("exec"),
                3,
                (path, attributes) -> attributes.isDirectory()
                        && Files.isDirectory(path.resolve(id))
                        && path.getFileName().toString().equals("moby")
                        && path.getParent().getFileName().toString().startsWith("runtime-"))) {
            return roots.findFirst().orElseThrow(() -> new AssertionError("no runtime root holds container " + id));
        }
    }
}
