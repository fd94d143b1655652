package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.seccomp.SeccompCache;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** bin/canal-oci as runc's users drive it: spec, run, create, start, state, kill, list, delete. */
@RequiresRoot
class OciCommandsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    private Path bundle;
    private String root;

    @BeforeEach
    void bundleFromRuncsDefaultSpec() throws Exception {
        bundle = OciBundle.create(work.resolve("bundle"));
        root = work.resolve("state").toString();
    }

    /** Sets the process's args in config.json, and no terminal. */
    private void process(String... args) throws Exception {
        OciBundle.process(bundle, args);
    }

    private CanalHome.Result oci(String... args) throws Exception {
        return OciBundle.oci(root, args);
    }

    @Test
    void runPrintsAndReturnsTheContainersExitCodeAndLeavesNothing() throws Exception {
        process("sh", "-c", "echo hello from $(hostname); exit 3");
        var run = oci("run", "--bundle", bundle.toString(), "demo");
        assertEquals(3, run.exitCode(), run.stderr());
        assertEquals("hello from canal\n", run.stdout());
        assertEquals("", oci("list", "--quiet").stdout());
    }

    @Test
    void createStartStateKillDelete() throws Exception {
        process("sleep", "600");
        Path pidFile = work.resolve("pid");
        var create = oci("create", "--bundle", bundle.toString(), "--pid-file", pidFile.toString(), "c1");
        assertEquals(0, create.exitCode(), create.stderr());

        var state = (ObjectNode) JSON.readTree(oci("state", "c1").stdout());
        assertEquals("created", state.get("status").asString());
        assertEquals(Files.readString(pidFile), state.get("pid").asString());
        assertEquals(bundle.toString(), state.get("bundle").asString());
        assertEquals("1.2.1", state.get("ociVersion").asString());

        assertEquals(0, oci("start", "c1").exitCode());
        assertEquals(
                "running",
                JSON.readTree(oci("state", "c1").stdout()).get("status").asString());
        assertTrue(
                oci("list").stdout().matches("(?s)ID +PID +STATUS +BUNDLE +CREATED +OWNER\nc1 +\\d+ +running .*"),
                oci("list").stdout());

        var kill = oci("kill", "c1", "KILL");
        assertEquals(0, kill.exitCode(), kill.stderr());
        long deadline = System.currentTimeMillis() + 10_000;
        while (!JSON.readTree(oci("state", "c1").stdout())
                .get("status")
                .asString()
                .equals("stopped")) {
            assertTrue(System.currentTimeMillis() < deadline, "stopped after SIGKILL");
        }
        assertEquals(0, oci("delete", "c1").exitCode());
        assertEquals("", oci("list", "-q").stdout());
    }

    /**
     * The state root is 0700 and state.json 0600, as runc's, so another local user reads nothing
     * of a container's state (its annotations may hold secrets); a root an older canal-oci made
     * 0755 is closed at the next create.
     */
    @Test
    void stateIsOwnerOnlyAndAnOlderWiderRootIsClosed() throws Exception {
        process("sleep", "600");
        Path config = bundle.resolve("config.json");
        var tree = (ObjectNode) JSON.readTree(config.toFile());
        tree.putObject("annotations").put("db", "DB_PASSWORD=hunter2");
        Files.writeString(config, JSON.writeValueAsString(tree));
        Nobody.openToAll(work);
        Files.createDirectory(Path.of(root));
        Nobody.openToAll(Path.of(root));

        var create = oci("create", "--bundle", bundle.toString(), "secret");
        assertEquals(0, create.exitCode(), create.stderr());
        try {
            Path state = Path.of(root, "secret", "state.json");
            assertTrue(Files.readString(state).contains("hunter2"), "the annotation is in the state");
            assertEquals("700", Nobody.mode(Path.of(root)), "the state root");
            assertEquals("711", Nobody.mode(state.getParent()), "the container's directory, as runc's");
            assertEquals("600", Nobody.mode(state));
            var read = Nobody.cat(state);
            assertEquals(1, read.exitCode(), read.stdout());
            assertEquals("", read.stdout());
            assertTrue(read.stderr().contains("Permission denied"), read.stderr());
            // state reads state.json without the lock, so its error is the file's, in one line.
            var stateAsNobody =
                    Nobody.run(CanalHome.ROOT.resolve("bin/canal-oci").toString(), "--root", root, "state", "secret");
            assertEquals(1, stateAsNobody.exitCode(), stateAsNobody.stdout());
            assertEquals("", stateAsNobody.stdout());
            assertEquals(
                    "canal-oci: cannot read the state of container \"secret\": permission denied: " + state + "\n",
                    stateAsNobody.stderr());
        } finally {
            assertEquals(0, oci("delete", "--force", "secret").exitCode());
        }
    }

    /**
     * Ids up to NAME_MAX (255) work through create, state and delete; one character more is
     * refused at create with one line and leaves no state directory and no cgroup, where before
     * it failed on a "File name too long" and could not be deleted either.
     */
    @Test
    void theLongestIdWorksAndOneMoreIsRefusedLeavingNothing() throws Exception {
        process("sleep", "600");
        String longest = "a".repeat(254) + "z";
        var create = oci("create", "--bundle", bundle.toString(), longest);
        assertEquals(0, create.exitCode(), create.stderr());
        try {
            assertEquals(
                    "created",
                    JSON.readTree(oci("state", longest).stdout()).get("status").asString());
        } finally {
            var delete = oci("delete", "--force", longest);
            assertEquals(0, delete.exitCode(), delete.stderr());
        }
        assertEquals("", oci("list", "-q").stdout());

        String tooLong = "b".repeat(256);
        String refusal = "canal-oci: invalid container id \"" + "b".repeat(40)
                + "...\": it has 256 characters, at most 255 are allowed (one path component)\n";
        for (String command : List.of("create", "run")) {
            var refused = oci(command, "--bundle", bundle.toString(), tooLong);
            assertEquals(1, refused.exitCode(), command);
            assertEquals(refusal, refused.stderr(), command);
        }
        var delete = oci("delete", tooLong);
        assertEquals(refusal, delete.stderr(), "named as clearly when deleted");
        try (var left = Files.list(Path.of(root))) {
            assertEquals(
                    List.of(),
                    left.filter(entry -> !entry.getFileName().toString().equals(SeccompCache.STATE_ROOT_ENTRY))
                            .toList(),
                    "no state directory");
        }
        try (var hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path hierarchy : hierarchies.toList()) {
                assertFalse(Files.exists(hierarchy.resolve("canal").resolve(longest)), hierarchy + ": no cgroup");
            }
        }
    }

    @Test
    void updateChangesTheLimitsThatEventsReport() throws Exception {
        process("sleep", "600");
        assertEquals(
                0, oci("run", "--detach", "--bundle", bundle.toString(), "u1").exitCode());
        try {
            var update = oci("update", "--memory", "64m", "--pids-limit", "50", "u1");
            assertEquals(0, update.exitCode(), update.stderr());
            var event =
                    (ObjectNode) JSON.readTree(oci("events", "--stats", "u1").stdout());
            assertEquals("stats", event.get("type").asString());
            assertEquals("u1", event.get("id").asString());
            assertEquals(
                    64L << 20,
                    event.get("data").get("memory").get("usage").get("limit").asLong());
            assertEquals(50, event.get("data").get("pids").get("limit").asLong());
            assertTrue(event.get("data").get("pids").get("current").asLong() >= 1, event.toString());

            Path resources = Files.writeString(work.resolve("resources.json"), "{\"pids\": {\"limit\": 20}}");
            assertEquals(
                    0, oci("update", "--resources", resources.toString(), "u1").exitCode());
            assertEquals(
                    20,
                    JSON.readTree(oci("events", "--stats", "u1").stdout())
                            .get("data")
                            .get("pids")
                            .get("limit")
                            .asLong());

            var bad = oci("update", "--memory", "-5", "u1");
            assertEquals(1, bad.exitCode());
            assertEquals(
                    "canal-oci: --memory -5: not a size (a number with an optional unit k, m, g, t or p, as in 64m or 1.5g)\n",
                    bad.stderr());
        } finally {
            assertEquals(0, oci("delete", "--force", "u1").exitCode());
        }
    }

    @Test
    void wrongInputGivesOneLineAndANonZeroStatus() throws Exception {
        process("sleep", "600");
        var unknown = oci("state", "nope");
        assertEquals(1, unknown.exitCode());
        assertEquals("canal-oci: container \"nope\" does not exist\n", unknown.stderr());

        var noBundle = oci("create", "--bundle", work.resolve("missing").toString(), "c2");
        assertEquals(1, noBundle.exitCode());
        assertEquals("canal-oci: bundle " + work.resolve("missing") + ": no config.json\n", noBundle.stderr());
        assertFalse(Files.exists(Path.of(root, "c2")));

        assertEquals(
                0, oci("run", "--detach", "--bundle", bundle.toString(), "c3").exitCode());
        var again = oci("start", "c3");
        assertEquals("canal-oci: container \"c3\" cannot be started: it is running\n", again.stderr());
        var deleteRunning = oci("delete", "c3");
        assertEquals(1, deleteRunning.exitCode());
        assertEquals(0, oci("delete", "--force", "c3").exitCode());
    }

    @Test
    void errorsGoToTheLogAsJsonForConmonAndTheShim() throws Exception {
        Path log = work.resolve("log.json");
        var result = CanalHome.run(
                "canal-oci",
                Map.of(),
                "--root",
                root,
                "--log",
                log.toString(),
                "--log-format",
                "json",
                "start",
                "nope");
        assertEquals(1, result.exitCode());
        var line = JSON.readTree(Files.readString(log));
        assertEquals("error", line.get("level").asString());
        assertEquals("container \"nope\" does not exist", line.get("msg").asString());
        assertTrue(line.get("time").asString().startsWith("20"), line.toString());
    }
}
