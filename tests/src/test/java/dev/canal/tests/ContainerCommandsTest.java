package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.canal.runtime.testing.RequiresRoot;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * canal's container commands over the engine, as a user types them: {@code run -d} leaves a
 * monitor with the container, and {@code logs}, {@code exec}, {@code stop}, {@code start},
 * {@code restart}, {@code kill}, {@code inspect}, {@code ps} and {@code rm} find it from other
 * canal processes. Every command runs in one private mount namespace (unshare(1), entered with
 * nsenter(1)), so the containers' overlays never reach the machine's; after each test nothing
 * is left: no container directory, name, runtime state, stream, mount or monitor.
 */
@RequiresRoot
class ContainerCommandsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    static Path work;

    private static PrivateCanal canal;

    @BeforeAll
    static void importBusyboxInAPrivateMountNamespace() throws Exception {
        canal = PrivateCanal.withBusybox(work, "bb:1");
    }

    @AfterAll
    static void leaveTheNamespace() throws InterruptedException {
        canal.close();
    }

    @AfterEach
    void nothingLeft() throws IOException {
        canal.assertNothingLeft();
    }

    /** bin/canal with this test's data root and exec root, in its mount namespace. */
    static CanalHome.Result canal(String... args) throws Exception {
        return canal.run(args);
    }

    /** A command that must succeed; its standard output. */
    private static String ok(String... args) throws Exception {
        return canal.ok(args);
    }

    /** Asks again until {@code done} holds for the output of {@code args}, which then is returned. */
    private static String awaitOutput(Predicate<String> done, String... args) throws Exception {
        for (int attempt = 0; attempt < 300; attempt++) {
            String output = ok(args);
            if (done.test(output)) {
                return output;
            }
            Thread.sleep(100);
        }
        fail(String.join(" ", args) + " never printed what was awaited");
        return null;
    }

    private static JsonNode inspect(String container) throws Exception {
        JsonNode documents = JSON.readTree(ok("inspect", container));
        assertEquals(1, documents.size());
        return documents.get(0);
    }

    @Test
    void aDetachedContainerHasLogsExecStopStartAndRm() throws Exception {
        String id = ok(
                        "run",
                        "-d",
                        "--name",
                        "daemonic",
                        "bb:1",
                        "sh",
                        "-c",
                        "trap 'echo bye; exit 0' TERM; echo started; while true; do sleep 0.1; done")
                .strip();
        try {
            assertTrue(id.matches("[0-9a-f]{64}"), id);
            assertTrue(
                    ok("ps").lines().anyMatch(line -> line.matches(id.substring(0, 12) + " +bb:1 .* Up .* +daemonic")),
                    "ps shows it running");
            awaitOutput(logs -> logs.equals("started\n"), "logs", "daemonic");

            var exec = canal("exec", "daemonic", "sh", "-c", "echo $HOSTNAME; exit 5");
            assertEquals(5, exec.exitCode(), exec.stderr());
            assertEquals(id.substring(0, 12) + "\n", exec.stdout());
            assertEquals(
                    "bar /tmp 1000\n",
                    ok(
                            "exec",
                            "-e",
                            "FOO=bar",
                            "-w",
                            "/tmp",
                            "-u",
                            "user",
                            "daemonic",
                            "sh",
                            "-c",
                            "echo $FOO $(pwd) $(id -u)"));

            assertEquals("daemonic\n", ok("stop", "daemonic"));
            JsonNode stopped = inspect("daemonic").get("State");
            assertEquals("exited", stopped.get("Status").asString());
            assertEquals(0, stopped.get("ExitCode").asInt(), "the trap's exit status, recorded by the monitor");
            assertEquals("started\nbye\n", ok("logs", "daemonic"));

            assertEquals("daemonic\n", ok("start", "daemonic"));
            assertTrue(inspect("daemonic").get("State").get("Running").asBoolean());
            awaitOutput(logs -> logs.equals("started\nbye\nstarted\n"), "logs", "daemonic");
            assertEquals("started\n", ok("logs", "--tail", "1", "daemonic"));
        } finally {
            canal("rm", "-f", "daemonic");
        }
    }

    /**
     * The changes a container made, a new file, a deleted one and a directory replaced whole,
     * become an image: the layer's whiteouts hide what the container deleted.
     */
    @Test
    void commitMakesAnImageOfAContainersChanges() throws Exception {
        ok("run", "--name", "changer", "bb:1", "sh", "-c", CHANGES);
        try {
            String id = ok("commit", "-a", "tester", "-m", "three changes", "changer", "changed:1")
                    .strip();
            assertTrue(id.matches("sha256:[0-9a-f]{64}"), id);
            assertEquals("made\nfresh\nvi gone\n", ok("run", "--rm", "changed:1", "sh", "-c", CHANGES_SEEN));
            var missing = canal("commit", "nope", "never:1");
            assertEquals(1, missing.exitCode());
            assertTrue(missing.stderr().contains("nope"), missing.stderr());
        } finally {
            ok("rm", "changer");
            canal("rmi", "changed:1");
        }
    }

    /** A new file, a deleted file, and /home removed and made again (overlayfs marks it opaque). */
    static final String CHANGES =
            "echo made > /made && rm /bin/vi && rm -r /home && mkdir -p /home/fresh && echo x > /home/fresh/only";

    /** What {@link #CHANGES} leave to see: the file, /home's one entry, and /bin/vi gone. */
    static final String CHANGES_SEEN = "cat /made; ls /home; test -e /bin/vi || echo vi gone";

    @Test
    void startAttachedReturnsTheExitStatusLogsSinceAndUntilCutTheLogInspectFormats() throws Exception {
        try {
            var first = canal(
                    "run", "--name", "twice", "bb:1", "sh", "-c", "echo run $(cut -d' ' -f1 /proc/uptime); exit 7");
            assertEquals(7, first.exitCode(), first.stderr());
            assertTrue(first.stdout().startsWith("run "), first.stdout());
            // A time between the two runs, on the clock the log's times come from.
            String between = Instant.now().toString();
            var second = canal("start", "--attach", "twice");
            assertEquals(7, second.exitCode(), second.stderr());
            assertEquals(first.stdout() + second.stdout(), ok("logs", "twice"));

            assertEquals(first.stdout() + second.stdout(), ok("logs", "--since", "1h", "twice"));
            assertEquals(second.stdout(), ok("logs", "--since", between, "twice"));
            assertEquals(first.stdout(), ok("logs", "--until", between, "twice"));

            assertEquals(
                    "/twice exited 7\n",
                    ok("inspect", "-f", "{{.Name}} {{.State.Status}} {{.State.ExitCode}}", "twice"));
            var badTemplate = canal("inspect", "--format", "{{.State", "twice");
            assertEquals("canal: template parsing error: template: :1: unclosed action\n", badTemplate.stderr());
            assertTrue(badTemplate.exitCode() != 0);

            var bad = canal("logs", "--since", "yesterday", "twice");
            assertEquals(
                    "canal: invalid value for \"since\": failed to parse value as time or duration: \"yesterday\"\n",
                    bad.stderr());
            assertTrue(bad.exitCode() != 0);
            var two = canal("start", "-a", "twice", "twice");
            assertEquals("canal: you cannot start and attach multiple containers at once\n", two.stderr());
        } finally {
            canal("rm", "-f", "twice");
        }
    }

    @Test
    void rmOfARunningContainerIsRefusedAndRmForceKillsIt() throws Exception {
        ok("run", "-d", "--name", "busy", "bb:1", "sleep", "1000");
        var refused = canal("rm", "busy");
        assertEquals(1, refused.exitCode());
        assertEquals(
                "canal: cannot remove container \"/busy\": container is running: "
                        + "stop the container before removing or force remove\n",
                refused.stderr());
        assertEquals("busy\n", ok("rm", "-f", "busy"));
        assertEquals("", ok("ps", "-a", "-q"));
    }

    @Test
    void psListsRunningOnesAndWithAllTheStoppedOnesInspectShowsTheState() throws Exception {
        var ended = canal("run", "--name", "ended", "bb:1", "sh", "-c", "exit 3");
        assertEquals(3, ended.exitCode(), ended.stderr());
        ok("run", "-d", "--name", "sleeper", "bb:1", "sleep", "1000");
        try {
            String running = ok("ps");
            assertTrue(running.contains(" sleeper\n"), running);
            assertFalse(running.contains(" ended\n"), running);
            String all = ok("ps", "-a");
            assertTrue(all.lines().anyMatch(line -> line.matches(".* Exited \\(3\\) .* +ended")), all);
            assertEquals(2, ok("ps", "-a", "-q").lines().count());

            JsonNode document = inspect("ended");
            assertEquals("/ended", document.get("Name").asString());
            assertEquals("sh", document.get("Path").asString());
            assertEquals(3, document.get("State").get("ExitCode").asInt());
            assertFalse(document.get("State").get("Running").asBoolean());
            JsonNode sleeper = inspect("sleeper").get("State");
            assertTrue(sleeper.get("Running").asBoolean());
            assertTrue(
                    Files.isDirectory(
                            Path.of("/proc", Integer.toString(sleeper.get("Pid").asInt()))),
                    "its pid is a process");
        } finally {
            ok("rm", "-f", "ended", "sleeper");
        }
    }

    @Test
    void killSignalsAndRestartRunsItAgain() throws Exception {
        ok(
                "run",
                "-d",
                "--name",
                "victim",
                "bb:1",
                "sh",
                "-c",
                "trap 'exit 7' USR1; echo trapped; while true; do sleep 0.1; done");
        try {
            // pid 1 of a pid namespace drops a signal from outside that it has no handler for
            // (pid_namespaces(7)): a USR1 sent before the trap is set would be lost.
            awaitOutput(logs -> logs.equals("trapped\n"), "logs", "victim");
            assertEquals("victim\n", ok("kill", "-s", "USR1", "victim"));
            awaitOutput(ps -> ps.matches("(?s).* Exited \\(7\\) .* victim\n"), "ps", "-a");
            assertEquals("victim\n", ok("restart", "-t", "1", "victim"));
            JsonNode state = inspect("victim").get("State");
            assertTrue(state.get("Running").asBoolean(), state.toString());
            assertEquals("victim\n", ok("kill", "victim"));
            awaitOutput(ps -> ps.matches("(?s).* Exited \\(137\\) .* victim\n"), "ps", "-a");
        } finally {
            canal("rm", "-f", "victim");
        }
    }

    @Test
    void aDetachedContainerWithRmIsRemovedWhenItEnds() throws Exception {
        ok("run", "-d", "--rm", "--name", "brief", "bb:1", "true");
        awaitOutput(String::isEmpty, "ps", "-a", "-q");
    }

    /** rm -f from another canal removes a --rm container; its monitors, foreground or detached, end then. */
    @Test
    void rmForceOfAnAutoRemovedContainerEndsItsMonitors() throws Exception {
        Path output = Files.createTempFile(work, "foreground", ".txt");
        Process foreground = new ProcessBuilder(
                        canal.commandLine("run", "--rm", "--name", "fg", "bb:1", "sleep", "1000"))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(output.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            ok("run", "-d", "--rm", "--name", "bg", "bb:1", "sleep", "1000");
            awaitOutput(ps -> ps.contains(" fg\n"), "ps");
            assertEquals("fg\nbg\n", ok("rm", "-f", "fg", "bg"));
            assertTrue(foreground.waitFor(60, TimeUnit.SECONDS), "canal run --rm still waits");
            assertEquals(137, foreground.exitValue(), Files.readString(output));
        } finally {
            foreground.destroyForcibly().waitFor();
        }
    }

    @Test
    void aDetachedRunThatCannotStartSaysWhyAndWithRmLeavesNothing() throws Exception {
        var missing = canal("run", "-d", "--rm", "bb:1", "no-such-program");
        assertEquals(127, missing.exitCode());
        assertEquals(
                "canal: failed to create task for container: exec: \"no-such-program\": "
                        + "executable file not found in $PATH: unknown\n",
                missing.stderr());
        assertEquals("", missing.stdout());
    }

    @Test
    void anUnknownContainerIsOneLineAndAFailureForEveryCommand() throws Exception {
        for (List<String> command : List.of(
                List.of("logs", "nope"),
                List.of("exec", "nope", "true"),
                List.of("start", "nope"),
                List.of("stop", "nope"),
                List.of("restart", "nope"),
                List.of("kill", "nope"),
                List.of("rm", "nope"),
                List.of("rm", "-f", "nope"))) {
            var result = canal(command.toArray(String[]::new));
            assertEquals(1, result.exitCode(), command + ": " + result.stderr());
            assertEquals("canal: No such container: nope\n", result.stderr(), command.toString());
            assertEquals("", result.stdout(), command.toString());
        }
        var inspected = canal("inspect", "nope");
        assertEquals(1, inspected.exitCode());
        assertEquals("[]\n", inspected.stdout(), "as docker inspect: an empty array");
        assertEquals("canal: No such object: nope\n", inspected.stderr());
    }

    @Test
    void execInAStoppedContainerIsRefused() throws Exception {
        ok("run", "--name", "still", "bb:1", "true");
        try {
            var result = canal("exec", "still", "true");
            assertEquals(1, result.exitCode());
            assertTrue(result.stderr().matches("canal: container [0-9a-f]{64} is not running\n"), result.stderr());
        } finally {
            ok("rm", "still");
        }
    }
}
