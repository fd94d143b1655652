package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.SyscallException;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code process.terminal}: the process gets a pseudoterminal of the container's own devpts as
 * its controlling terminal and standard streams, of the configured size, and the caller reads
 * it through the master.
 */
@RequiresRoot
class TerminalTest {

    @TempDir
    Path work;

    /** What the program wrote to its terminal, until its side closed (the master reads EIO then, pty(7)). */
    private static String readTerminal(OwnedFd master) {
        var bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int count; (count = master.read(buffer, 0, buffer.length)) > 0; ) {
                bytes.write(buffer, 0, count);
            }
        } catch (SyscallException e) {
            if (e.errno() != linux_h.EIO()) {
                throw e;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** A created container that runs {@code script} on a terminal of 30 rows and 100 columns. */
    private Container createWithTerminal(String id, EngineChoice engine, int uid, String script) throws Exception {
        var bundle = TestBundle.create(work.resolve(id))
                .shell(script)
                .edit(c -> c.withObject("process")
                        .put("terminal", true)
                        .putObject("consoleSize")
                        .put("height", 30)
                        .put("width", 100));
        bundle.process().putObject("user").put("uid", uid).put("gid", uid);
        return new Containers(work.resolve("state"))
                .create(id, bundle.write(), new CreateOptions(engine, Stdio.inherit()));
    }

    private List<String> runWithTerminal(EngineChoice engine, int uid) throws Exception {
        // Field 7 of /proc/PID/stat is the controlling terminal's device number (proc(5)).
        Container container =
                createWithTerminal("tty", engine, uid, "tty; stty size; cut -d' ' -f7 /proc/$$/stat; id -u");
        try (OwnedFd master = container.terminal().orElseThrow()) {
            container.start();
            String output = readTerminal(master);
            assertEquals(0, container.waitForExit(), output);
            // A terminal turns each "\n" the program writes into "\r\n".
            return List.of(output.split("\r\n"));
        } finally {
            container.delete(true);
        }
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void rootGetsAControllingTerminalOfTheConfiguredSize(EngineChoice engine) throws Exception {
        var lines = runWithTerminal(engine, 0);
        // The process opened the terminal by its own path in the container's devpts, so
        // ttyname(3) names that, as under runc.
        assertEquals(List.of("/dev/pts/0", "30 100"), lines.subList(0, 2), lines.toString());
        assertNotEquals("0", lines.get(2), "a controlling terminal: " + lines);
        assertEquals("0", lines.get(3));
    }

    @ParameterizedTest
    @EnumSource(names = {"THREAD", "CLONE"})
    void aNonRootUserOpensItsTerminalToo(EngineChoice engine) throws Exception {
        var lines = runWithTerminal(engine, 1000);
        assertEquals("/dev/pts/0", lines.get(0), lines.toString());
        assertEquals("1000", lines.get(3), lines.toString());
        assertEquals(4, lines.size(), lines.toString());
    }

    /**
     * Create waits until the process has its terminal on 0, and knows it by more than its path:
     * a caller's terminal on 0 may have the same name in another devpts instance (the host's
     * first is /dev/pts/0 too), and taking that for the console handed the master out before its
     * peer was open. Here the other instance is a second container's.
     */
    @Test
    void theConsoleIsKnownByItsDevptsInstanceNotOnlyItsName() throws Exception {
        Container first = createWithTerminal("first", EngineChoice.THREAD, 0, "true");
        try {
            Container second = createWithTerminal("second", EngineChoice.THREAD, 0, "true");
            try (OwnedFd firstMaster = first.terminal().orElseThrow();
                    OwnedFd secondMaster = second.terminal().orElseThrow()) {
                assertTrue(ConsoleOpened.by(first.pid(), "/dev/pts/0", firstMaster));
                assertTrue(ConsoleOpened.by(second.pid(), "/dev/pts/0", secondMaster));
                assertFalse(
                        ConsoleOpened.by(first.pid(), "/dev/pts/0", secondMaster),
                        "the first container's /dev/pts/0 is not the second's");
            } finally {
                second.delete(true);
            }
        } finally {
            first.delete(true);
        }
    }
}
