package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.HostSnapshot;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The spec's hooks (config.md#posix-platform-hooks) at their points of the lifecycle, in the
 * right namespaces, with the state on standard input, and the spec's error semantics
 * (runtime.md#lifecycle). The hooks are busybox's sh, started as execv(3) starts a program:
 * path /bin/busybox with argv[0] "sh", which busybox only runs as sh if argv[0] is passed as
 * given.
 */
@RequiresRoot
class HookTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String BUSYBOX = "/bin/busybox";

    /**
     * Appends one line to the log named by $1: the hook's name ($0, from args), its env,
     * namespaces, open descriptors (those of ls, which adds its own directory's, 3) and the
     * state it read.
     */
    private static final String RECORD = """
            state=$(cat)
            echo "$0|$HOOK_VAR|$(readlink /proc/self/ns/mnt)|$(readlink /proc/self/ns/pid)|$(readlink /proc/self/ns/user)|$(ls /proc/self/fd | tr '\\n' ' ')|$state" >> "$1"
            """;

    @TempDir
    Path work;

    private Path record;
    private Containers containers;

    private Path record() throws IOException {
        if (record == null) {
            record = Files.createDirectories(work.resolve("record"));
            containers = new Containers(work.resolve("state"));
        }
        return record;
    }

    /** A bundle whose /record is the host's record directory, so hooks in the container can write there. */
    private TestBundle bundle(String... args) throws Exception {
        Path host = record();
        return TestBundle.create(work.resolve("bundle")).args(args).edit(config -> {
            ObjectNode mount = ((ArrayNode) config.get("mounts")).addObject();
            mount.put("destination", "/record").put("type", "bind").put("source", host.toString());
            mount.putArray("options").add("rbind").add("rw");
        });
    }

    private static ObjectNode hook(ObjectNode config, String stage, List<String> args, Integer timeout) {
        ObjectNode hooks = config.has("hooks") ? (ObjectNode) config.get("hooks") : config.putObject("hooks");
        ArrayNode list = hooks.has(stage) ? (ArrayNode) hooks.get(stage) : hooks.putArray(stage);
        ObjectNode hook = list.addObject().put("path", BUSYBOX);
        ArrayNode argv = hook.putArray("args");
        args.forEach(argv::add);
        hook.putArray("env").add("PATH=/bin:/usr/bin").add("HOOK_VAR=for-" + stage);
        if (timeout != null) {
            hook.put("timeout", timeout);
        }
        return hook;
    }

    /** A hook that records what it saw in {@code log} (a path where the hook runs) under {@code name}. */
    private static void recording(ObjectNode config, String stage, String name, String log) {
        hook(config, stage, List.of("sh", "-c", RECORD, name, log), 30);
    }

    private static void failing(ObjectNode config, String stage) {
        hook(config, stage, List.of("sh", "-c", "echo said-on-stdout; echo said-on-stderr >&2; exit 3"), null);
    }

    private record Line(String name, String env, String mnt, String pidns, String userns, String fds, JsonNode state) {}

    private List<Line> lines() throws IOException {
        Path log = record().resolve("log");
        List<Line> lines = new ArrayList<>();
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                String[] f = line.split("\\|", 7);
                lines.add(new Line(f[0], f[1], f[2], f[3], f[4], f[5].strip(), JSON.readTree(f[6])));
            }
        }
        return lines;
    }

    private static String namespace(String pid, String type) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/" + type)).toString();
    }

    private static String id(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void everyStageRunsInOrderWithTheStateArgsEnvAndNamespacesOfItsStage() throws Exception {
        String log = record().resolve("log").toString();
        var bundle = bundle("sleep", "600").edit(config -> {
            recording(config, "prestart", "prestart", log);
            recording(config, "createRuntime", "createRuntime", log);
            recording(config, "createContainer", "createContainer", log);
            recording(config, "startContainer", "startContainer", "/record/log");
            recording(config, "poststart", "poststart", log);
            recording(config, "poststop", "poststop", log);
        });
        String id = id("hooks");
        Container container = containers.create(id, bundle.write(), CreateOptions.defaults());
        String pid = Integer.toString(container.pid());
        String containerMnt;
        String containerPidns;
        try {
            containerMnt = namespace(pid, "mnt");
            containerPidns = namespace(pid, "pid");
            assertEquals(
                    List.of("prestart", "createRuntime", "createContainer"),
                    lines().stream().map(Line::name).toList(),
                    "create runs these, in this order");
            container.start();
            assertEquals(6 - 1, lines().size(), "start adds startContainer and poststart");
        } finally {
            container.delete(true);
        }
        List<Line> lines = lines();
        assertEquals(
                List.of("prestart", "createRuntime", "createContainer", "startContainer", "poststart", "poststop"),
                lines.stream().map(Line::name).toList());
        String runtimeMnt = namespace("self", "mnt");
        String runtimePidns = namespace("self", "pid");
        List<String> statuses = List.of("creating", "creating", "creating", "created", "running", "stopped");
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            boolean inContainer =
                    line.name().equals("createContainer") || line.name().equals("startContainer");
            assertEquals("for-" + line.name(), line.env(), line.name() + ": its env");
            assertEquals(inContainer ? containerMnt : runtimeMnt, line.mnt(), line.name() + ": mount namespace");
            assertEquals(inContainer ? containerPidns : runtimePidns, line.pidns(), line.name() + ": pid namespace");
            assertEquals(namespace("self", "user"), line.userns(), line.name() + ": user namespace");
            assertEquals("0 1 2 3", line.fds(), line.name() + ": only the standard streams (and ls's own 3)");
            assertEquals(id, line.state().get("id").asString(), line.name());
            assertEquals(statuses.get(i), line.state().get("status").asString(), line.name() + ": status");
            assertEquals(
                    line.name().equals("poststop") ? 0 : container.pid(),
                    line.state().get("pid").asInt(),
                    line.name() + ": pid");
            assertEquals(
                    bundle.directory().toString(), line.state().get("bundle").asString(), line.name());
        }
        assertNotEquals(runtimeMnt, containerMnt);
    }

    @Test
    void hooksInAContainerWithAUserNamespaceRunInIt() throws Exception {
        // The hooks run as the container's root, host uid 100000: they must reach the log.
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(record(), PosixFilePermissions.fromString("rwxrwxrwx"));
        Path log = Files.createFile(record().resolve("log"));
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-rw-rw-"));
        var bundle = bundle("sleep", "600").namespace("user").edit(config -> {
            ObjectNode linux = (ObjectNode) config.get("linux");
            linux.putArray("uidMappings")
                    .addObject()
                    .put("containerID", 0)
                    .put("hostID", 100000)
                    .put("size", 65536);
            linux.putArray("gidMappings")
                    .addObject()
                    .put("containerID", 0)
                    .put("hostID", 100000)
                    .put("size", 65536);
            recording(config, "createContainer", "createContainer", log.toString());
            recording(config, "startContainer", "startContainer", "/record/log");
        });
        Container container = containers.create(id("userns"), bundle.write(), CreateOptions.defaults());
        String pid = Integer.toString(container.pid());
        try {
            container.start();
            List<Line> lines = lines();
            assertEquals(
                    List.of("createContainer", "startContainer"),
                    lines.stream().map(Line::name).toList());
            for (Line line : lines) {
                assertEquals(namespace(pid, "user"), line.userns(), line.name() + ": user namespace");
                assertEquals(namespace(pid, "mnt"), line.mnt(), line.name() + ": mount namespace");
                assertEquals(namespace(pid, "pid"), line.pidns(), line.name() + ": pid namespace");
            }
            assertNotEquals(namespace("self", "user"), lines.getFirst().userns());
        } finally {
            container.delete(true);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"prestart", "createRuntime", "createContainer"})
    void aFailingCreateHookFailsCreateAndLeavesNothingBehindButRunsPoststop(String stage) throws Exception {
        String log = record().resolve("log").toString();
        var bundle = bundle("true").edit(config -> {
            failing(config, stage);
            recording(config, "poststop", "poststop", log);
        });
        String id = id("failing-" + stage.toLowerCase());
        HostSnapshot before = HostSnapshot.take();
        var failure = assertThrows(
                ContainerException.class, () -> containers.create(id, bundle.write(), CreateOptions.defaults()));
        assertEquals(
                "error running " + stage + " hook #0 (" + BUSYBOX
                        + "): exit status 3, stdout: said-on-stdout, stderr: said-on-stderr",
                failure.getMessage());
        assertEquals(before, HostSnapshot.take(), "the host is as it was");
        assertFalse(Files.exists(work.resolve("state").resolve(id)), "no state directory");
        List<Line> lines = lines();
        assertEquals(List.of("poststop"), lines.stream().map(Line::name).toList(), "the destroy step's poststop hooks");
        assertEquals("stopped", lines.getFirst().state().get("status").asString());
    }

    @Test
    void aHookPastItsTimeoutIsKilledAndFailsCreate() throws Exception {
        var bundle = bundle("true").edit(config -> hook(config, "createRuntime", List.of("sleep", "600"), 1));
        String id = id("timeout");
        HostSnapshot before = HostSnapshot.take();
        var failure = assertThrows(
                ContainerException.class, () -> containers.create(id, bundle.write(), CreateOptions.defaults()));
        assertTrue(
                failure.getMessage()
                        .startsWith("error running createRuntime hook #0 (" + BUSYBOX
                                + "): hook ran past its timeout of 1 s and was killed"),
                failure.getMessage());
        assertEquals(before, HostSnapshot.take(), "the hook was killed and reaped, the container undone");
    }

    @Test
    void aHookThatCannotBeExecutedFailsCreate() throws Exception {
        var bundle = bundle("true")
                .edit(config -> hook(config, "createRuntime", List.of("x"), null)
                        .put("path", work.resolve("no-such-hook").toString()));
        String id = id("missing");
        var failure = assertThrows(
                ContainerException.class, () -> containers.create(id, bundle.write(), CreateOptions.defaults()));
        assertTrue(
                failure.getMessage()
                        .startsWith("error running createRuntime hook #0 (" + work.resolve("no-such-hook")
                                + "): posix_spawn"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("ENOENT"), failure.getMessage());
        assertFalse(Files.exists(work.resolve("state").resolve(id)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"startContainer", "poststart"})
    void aFailingStartHookFailsStartAndStopsTheContainer(String stage) throws Exception {
        String log = record().resolve("log").toString();
        var bundle = bundle("sleep", "600").edit(config -> {
            failing(config, stage);
            recording(config, "poststop", "poststop", log);
        });
        Container container =
                containers.create(id("failing-" + stage.toLowerCase()), bundle.write(), CreateOptions.defaults());
        try {
            var failure = assertThrows(ContainerException.class, container::start);
            assertTrue(failure.getMessage().startsWith("error running " + stage + " hook #0"), failure.getMessage());
            assertEquals(ContainerStatus.STOPPED, container.status(), "the container was stopped");
        } finally {
            container.delete(false);
        }
        assertEquals(List.of("poststop"), lines().stream().map(Line::name).toList());
        assertEquals(List.of(), containers.ids());
    }

    @Test
    void aFailingPoststopHookIsOnlyAWarningAndTheNextOneRuns() throws Exception {
        String log = record().resolve("log").toString();
        var bundle = bundle("true").edit(config -> {
            failing(config, "poststop");
            recording(config, "poststop", "second-poststop", log);
        });
        String id = id("poststop");
        Container container = containers.create(id, bundle.write(), CreateOptions.defaults());
        container.delete(false);
        assertEquals(List.of(), containers.ids(), "deleted all the same");
        assertFalse(Files.exists(work.resolve("state").resolve(id)));
        assertEquals(
                List.of("second-poststop"), lines().stream().map(Line::name).toList());
    }
}
