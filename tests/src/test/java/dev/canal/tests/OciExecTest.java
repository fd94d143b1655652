package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code canal-oci exec}, as runc's users call it: with flags, or with --process as conmon does. */
@RequiresRoot
class OciExecTest {

    @TempDir
    Path work;

    private Path bundle;
    private String root;

    @BeforeEach
    void aRunningContainer() throws Exception {
        bundle = OciBundle.create(work.resolve("bundle"));
        root = work.resolve("state").toString();
        OciBundle.process(bundle, "sleep", "600");
        var created = oci("create", "--bundle", bundle.toString(), "held");
        assertEquals(0, created.exitCode(), created.stderr());
        var run = oci("run", "--detach", "--bundle", bundle.toString(), "running");
        assertEquals(0, run.exitCode(), run.stderr());
    }

    @AfterEach
    void deleteBoth() throws Exception {
        oci("delete", "--force", "held");
        oci("delete", "--force", "running");
    }

    private CanalHome.Result oci(String... args) throws Exception {
        return OciBundle.oci(root, args);
    }

    @Test
    void aProcessInTheContainersNamespacesWithItsExitCode() throws Exception {
        Path pidFile = work.resolve("exec.pid");
        var exec = oci(
                "exec",
                "--pid-file",
                pidFile.toString(),
                "--env",
                "GREETING=hi",
                "--cwd",
                "/tmp",
                "running",
                "sh",
                "-c",
                "echo $GREETING $(pwd) $$ $(hostname); cat /proc/1/cmdline; exit 4");
        assertEquals(4, exec.exitCode(), exec.stderr());
        String[] words = exec.stdout().lines().findFirst().orElseThrow().split(" ");
        assertEquals("hi", words[0]);
        assertEquals("/tmp", words[1]);
        // Born in the container's pid namespace, where sleep is pid 1.
        assertNotEquals("1", words[2]);
        assertNotEquals(Files.readString(pidFile), words[2], "the pid inside differs from the host's");
        assertEquals("canal", words[3]);
        assertTrue(exec.stdout().contains("sleep\0" + "600"), exec.stdout());
    }

    @Test
    void theBundlesConfigChangedAfterCreateDoesNotAffectTheContainer() throws Exception {
        // runtime.md#create: changes to config.json after create do not affect the container.
        Path config = bundle.resolve("config.json");
        String original = Files.readString(config);
        Files.writeString(config, original.replace("\"PATH=", "\"CHANGED=after-create\", \"PATH="));
        var exec = oci("exec", "running", "sh", "-c", "echo ${CHANGED:-unchanged}");
        assertEquals(0, exec.exitCode(), exec.stderr());
        assertEquals("unchanged\n", exec.stdout());
        Files.writeString(config, "{ not json");
        var start = oci("start", "held");
        assertEquals(0, start.exitCode(), start.stderr());
        var again = oci("exec", "running", "true");
        assertEquals(0, again.exitCode(), "a broken bundle config is not read again: " + again.stderr());
    }

    @Test
    void aProcessFileAsConmonPassesIt() throws Exception {
        Path processFile = Files.writeString(work.resolve("process.json"), """
                {"terminal": false, "user": {"uid": 65534, "gid": 65534}, "args": ["sh", "-c", "id -u; id -g"],
                 "env": ["PATH=/bin"], "cwd": "/"}
                """);
        var exec = oci("exec", "--process", processFile.toString(), "running");
        assertEquals(0, exec.exitCode(), exec.stderr());
        assertEquals("65534\n65534\n", exec.stdout());
    }

    @Test
    void badInputIsRefusedInOneLine() throws Exception {
        var unknown = oci("exec", "nope", "true");
        assertEquals(1, unknown.exitCode());
        assertEquals("canal-oci: container \"nope\" does not exist\n", unknown.stderr());
        var held = oci("exec", "held", "true");
        assertEquals(1, held.exitCode());
        assertEquals("canal-oci: cannot exec in container \"held\": it is created\n", held.stderr());
        var noProgram = oci("exec", "running", "no-such-program");
        assertEquals(1, noProgram.exitCode());
        assertTrue(
                noProgram.stderr().startsWith("canal-oci: ")
                        && noProgram.stderr().contains("no-such-program"),
                noProgram.stderr());
        Path bad = Files.writeString(work.resolve("bad.json"), "{\"args\": \"sh\"}");
        var malformed = oci("exec", "--process", bad.toString(), "running");
        assertEquals(1, malformed.exitCode());
        assertTrue(
                malformed.stderr().startsWith("canal-oci: ")
                        && malformed.stderr().lines().count() == 1,
                malformed.stderr());
        var ttyWithoutSocket = oci("exec", "--tty", "running", "sh");
        assertEquals(1, ttyWithoutSocket.exitCode());
        assertTrue(ttyWithoutSocket.stderr().contains("--console-socket"), ttyWithoutSocket.stderr());
        // Nothing is left of the failed attempts: only the container's own files.
        try (var entries = Files.list(Path.of(root, "running"))) {
            assertTrue(entries.noneMatch(entry -> entry.getFileName().toString().startsWith("exec-")));
        }
    }
}
