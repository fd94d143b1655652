package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * canal-oci's state, kill, delete, start, create, run and exec on their quick path (parsed by hand, no picocli) give what
 * the full parse gives. {@code --debug=true} is a form only picocli takes, so a command with it
 * goes the old way: the two answers are compared side by side.
 */
@RequiresRoot
class OciQuickCommandsTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path work;

    /** The --root of every command here. */
    private String root() {
        return work.resolve("state").toString();
    }

    /** A bundle whose process sleeps, for the tests that need a container. */
    private String sleepingBundle() throws Exception {
        Path bundle = OciBundle.create(work.resolve("bundle"));
        OciBundle.process(bundle, "sleep", "600");
        return bundle.toString();
    }

    private CanalHome.Result oci(String... args) throws Exception {
        return OciBundle.oci(root(), args);
    }

    /** The same command through picocli. */
    private CanalHome.Result picocli(String... args) throws Exception {
        String[] all = new String[args.length + 1];
        all[0] = "--debug=true";
        System.arraycopy(args, 0, all, 1, args.length);
        return oci(all);
    }

    private String status(String id) throws Exception {
        return JSON.readTree(oci("state", id).stdout()).get("status").asString();
    }

    @Test
    void stateAndKillByNameNumberAndAllThenDelete() throws Exception {
        var create = oci("create", "--bundle", sleepingBundle(), "q1");
        assertEquals(0, create.exitCode(), create.stderr());
        try {
            var quick = oci("state", "q1");
            assertEquals(0, quick.exitCode(), quick.stderr());
            assertEquals(picocli("state", "q1").stdout(), quick.stdout());
            assertEquals("created", status("q1"));

            // SIGCONT leaves the held process as it is: by name, by number, and to every process.
            assertEquals(0, oci("kill", "q1", "CONT").exitCode());
            assertEquals(0, oci("kill", "--all", "q1", "18").exitCode());
            assertEquals(0, oci("kill", "q1", "-a", "SIGCONT").exitCode());
            assertEquals("created", status("q1"));

            var badSignal = oci("kill", "q1", "NOPE");
            assertEquals(1, badSignal.exitCode());
            assertEquals("canal-oci: unknown signal \"NOPE\"\n", badSignal.stderr());
            assertEquals(picocli("kill", "q1", "NOPE").stderr(), badSignal.stderr());

            // SIGTERM by default; pid 1 of a pid namespace has no handler for it, so it stays (pid_namespaces(7)).
            assertEquals(0, oci("kill", "q1").exitCode());
            assertEquals("created", status("q1"));
            assertEquals(0, oci("kill", "q1", "9").exitCode());
            awaitStopped("q1");
            var stopped = oci("state", "q1");
            assertEquals(picocli("state", "q1").stdout(), stopped.stdout());
            assertEquals(0, JSON.readTree(stopped.stdout()).get("pid").asInt());
            var notRunning = oci("kill", "q1", "KILL");
            assertEquals(1, notRunning.exitCode());
            assertEquals("canal-oci: container \"q1\" is not running\n", notRunning.stderr());
        } finally {
            var delete = oci("delete", "q1");
            assertEquals(0, delete.exitCode(), delete.stderr());
        }
        assertFalse(Files.exists(Path.of(root(), "q1")));
    }

    @Test
    void startRunsTheProgramAndRefusesASecondStartAsThePicocliParseDoes() throws Exception {
        assertEquals(0, oci("create", "--bundle", sleepingBundle(), "q3").exitCode());
        try {
            var start = oci("start", "q3");
            assertEquals(0, start.exitCode(), start.stderr());
            assertEquals("running", status("q3"));
            var again = oci("start", "q3");
            assertEquals(1, again.exitCode());
            assertEquals("canal-oci: container \"q3\" cannot be started: it is running\n", again.stderr());
            assertEquals(picocli("start", "q3").stderr(), again.stderr());
        } finally {
            assertEquals(0, oci("delete", "--force", "q3").exitCode());
        }
    }

    @Test
    void deleteForceEndsARunningContainer() throws Exception {
        assertEquals(
                0, oci("run", "--detach", "--bundle", sleepingBundle(), "q2").exitCode());
        var refused = oci("delete", "q2");
        assertEquals(1, refused.exitCode());
        assertEquals("canal-oci: container \"q2\" is running: stop it first, or delete with force\n", refused.stderr());
        assertEquals(picocli("delete", "q2").stderr(), refused.stderr());
        int pid = JSON.readTree(oci("state", "q2").stdout()).get("pid").asInt();

        var delete = oci("delete", "-f", "q2");
        assertEquals(0, delete.exitCode(), delete.stderr());
        assertFalse(Files.exists(Path.of(root(), "q2")));
        assertTrue(goneOrZombie(pid), "its process has ended (its new parent may not have reaped it yet)");
        var gone = oci("state", "q2");
        assertEquals(1, gone.exitCode());
        assertEquals("canal-oci: container \"q2\" does not exist\n", gone.stderr());
    }

    @Test
    void mistakesGetTheFullParsesMessagesAndStatuses() throws Exception {
        // args, exit status, first line on standard error. Status 1: the command failed (runc's
        // one line); status 2: picocli's usage error, from the full parse the quick one leaves it to.
        Object[][] cases = {
            {new String[] {"state", "nope"}, 1, "canal-oci: container \"nope\" does not exist"},
            {new String[] {"kill", "nope", "9"}, 1, "canal-oci: container \"nope\" does not exist"},
            {
                new String[] {"create", "--bundle", "/nonexistent", "nope"},
                1,
                "canal-oci: bundle /nonexistent: no config.json"
            },
            {
                new String[] {"create", "-b=/nonexistent", "--pid-file", "/nonexistent/pid", "--no-new-keyring", "nope"
                },
                1,
                "canal-oci: bundle /nonexistent: no config.json"
            },
            {new String[] {"create", "--bundle", "/nonexistent"}, 2, "Missing required parameter: 'CONTAINER_ID'"},
            {
                new String[] {"create", "--bundle", "/a", "--bundle", "/b", "x"},
                2,
                "option '--bundle' (<bundle>) should be specified only once"
            },
            {
                new String[] {"create", "--no-pivot", "--bundle", "/nonexistent", "x"},
                1,
                "canal-oci: --no-pivot: Canal always uses pivot_root(2)"
            },
            {
                new String[] {"run", "--bundle", "/nonexistent", "nope"},
                1,
                "canal-oci: bundle /nonexistent: no config.json"
            },
            {
                new String[] {"run", "-d", "-b=/nonexistent", "--pid-file", "/nonexistent/pid", "nope"},
                1,
                "canal-oci: bundle /nonexistent: no config.json"
            },
            {
                new String[] {"run", "--detach", "--detach", "-b", "/nonexistent", "x"},
                2,
                "option '--detach' should be specified only once"
            },
            {
                new String[] {"run", "--no-new-keyring", "-b", "/nonexistent", "x"},
                2,
                "Unknown option: '--no-new-keyring'"
            },
            {
                new String[] {"exec", "--process", "/nonexistent", "nope"},
                1,
                "canal-oci: container \"nope\" does not exist"
            },
            {
                new String[] {"exec", "-d", "-p=/nonexistent", "--pid-file", "/x", "nope"},
                1,
                "canal-oci: container \"nope\" does not exist"
            },
            {
                new String[] {"exec", "-p", "/a", "--process", "/b", "x"},
                2,
                "option '--process' (<process>) should be specified only once"
            },
            {new String[] {"start", "nope"}, 1, "canal-oci: container \"nope\" does not exist"},
            {new String[] {"start"}, 2, "Missing required parameter: 'CONTAINER_ID'"},
            {new String[] {"delete", "nope"}, 1, "canal-oci: container \"nope\" does not exist"},
            // As runc: forcing the delete of a container that is not there succeeds.
            {new String[] {"delete", "--force", "nope"}, 0, ""},
            {
                new String[] {"delete", "--force", "bad/id"},
                1,
                "canal-oci: invalid container id \"bad/id\": use letters, digits and _ + - ."
            },
            {
                new String[] {"state", "bad/id"},
                1,
                "canal-oci: invalid container id \"bad/id\": use letters, digits and _ + - ."
            },
            {new String[] {"state"}, 2, "Missing required parameter: 'CONTAINER_ID'"},
            {new String[] {"kill"}, 2, "Missing required parameters: 'CONTAINER_ID', 'SIGNAL'"},
            {new String[] {"delete"}, 2, "Missing required parameter: 'CONTAINER_ID'"},
            {new String[] {"state", "a", "b"}, 2, "Unmatched argument at index 4: 'b'"},
            {new String[] {"kill", "--bogus", "nope"}, 2, "Unknown option: '--bogus'"},
            {new String[] {"delete", "--force", "--force", "x"}, 2, "option '--force' should be specified only once"},
        };
        for (Object[] testCase : cases) {
            String[] args = (String[]) testCase[0];
            var result = oci(args);
            assertEquals(testCase[1], result.exitCode(), String.join(" ", args));
            assertEquals(testCase[2], result.stderr().lines().findFirst().orElse(""), String.join(" ", args));
            if (result.exitCode() == 1) {
                assertEquals(picocli(args).stderr(), result.stderr(), String.join(" ", args));
            }
        }

        var systemd = CanalHome.run("canal-oci", Map.of(), "--root", root(), "--systemd-cgroup", "state", "nope");
        assertEquals(1, systemd.exitCode());
        assertEquals("canal-oci: --systemd-cgroup: the systemd cgroup driver is not supported\n", systemd.stderr());
    }

    @Test
    void errorsGoToTheJsonLogAsConmonReadsThem() throws Exception {
        Path log = work.resolve("log.json");
        var result = CanalHome.run(
                "canal-oci",
                Map.of(),
                "--root",
                root(),
                "--log",
                log.toString(),
                "--log-format=json",
                "kill",
                "--all",
                "nope",
                "KILL");
        assertEquals(1, result.exitCode());
        assertEquals("canal-oci: container \"nope\" does not exist\n", result.stderr());
        var lines = Files.readAllLines(log);
        assertEquals(1, lines.size(), lines.toString());
        var line = JSON.readTree(lines.get(0));
        assertEquals("error", line.get("level").asString());
        assertEquals("container \"nope\" does not exist", line.get("msg").asString());
        assertTrue(line.get("time").asString().startsWith("20"), line.toString());
    }

    @Test
    void versionAsBefore() throws Exception {
        var quick = CanalHome.run("canal-oci", Map.of(), "--version");
        var full = CanalHome.run("canal-oci", Map.of(), "--root", root(), "--version");
        assertEquals(0, quick.exitCode(), quick.stderr());
        assertEquals(full.stdout(), quick.stdout());
        assertEquals(full.stdout(), CanalHome.run("canal-oci", Map.of(), "-V").stdout());
        assertEquals("", quick.stderr());
    }

    /**
     * proc(5): /proc/PID/stat's third field is the state, Z for a zombie. Read once: its new
     * parent can reap it at any moment, so a file that existed a moment ago may be gone.
     */
    private static boolean goneOrZombie(int pid) throws Exception {
        String text;
        try {
            text = Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (NoSuchFileException reaped) {
            return true;
        }
        return text.substring(text.lastIndexOf(')') + 2).startsWith("Z");
    }

    private void awaitStopped(String id) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (!status(id).equals("stopped")) {
            assertTrue(System.currentTimeMillis() < deadline, id + " stopped after SIGKILL");
        }
    }
}
