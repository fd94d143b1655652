package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.PathAt;
import dev.canal.runtime.sys.Pipe;
import dev.canal.runtime.sys.Processes;
import dev.canal.runtime.sys.SyscallException;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Container#exec}: a new process inside a running container's namespaces and cgroup,
 * born in its pid namespace, with its own user and terminal; bad input leaves nothing behind.
 */
@RequiresRoot
class ExecTest {

    /** poll(2) events: data to read, and the hang-up a FIFO's reader sees once a writer came and went. */
    private static final short POLLIN = 0x1;

    private static final short POLLHUP = 0x10;

    private static final MethodHandle POLL = Linker.nativeLinker()
            .downcallHandle(
                    Linker.nativeLinker().defaultLookup().find("poll").orElseThrow(),
                    FunctionDescriptor.of(
                            ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));

    @TempDir
    Path work;

    private Container running(String id) throws Exception {
        var bundle = TestBundle.create(work.resolve("bundle-" + id)).args("sleep", "600");
        Container container = new Containers(work.resolve("state"))
                .create(id, bundle.write(), new CreateOptions(EngineChoice.AUTO, Stdio.inherit()));
        container.start();
        return container;
    }

    private static String readUntilClosed(OwnedFd fd) {
        var bytes = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        try {
            for (int count; (count = fd.read(buffer, 0, buffer.length)) > 0; ) {
                bytes.write(buffer, 0, count);
            }
        } catch (SyscallException e) {
            if (e.errno() != linux_h.EIO()) { // a pty master once its peer is closed (pty(7))
                throw e;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void joinsEveryNamespaceAndTheCgroup() throws Exception {
        Container container = running("exec-ns");
        try (var pipe = Pipe.create()) {
            int out = pipe.writeEnd().fd();
            ExecutedProcess process = container.exec("""
                    {"args": ["sh", "-c", "echo $$; hostname; readlink /proc/self/ns/mnt; cat /proc/self/cgroup; echo --; cat /proc/1/cgroup"],
                     "env": ["PATH=/bin"], "cwd": "/", "user": {"uid": 1000, "gid": 1000}}
                    """, new Stdio(out, out, out));
            pipe.writeEnd().close();
            assertEquals(0, Processes.waitForExit(process.pid()));
            var lines = readUntilClosed(pipe.readEnd()).lines().toList();
            assertNotEquals(Integer.toString(process.pid()), lines.get(0), "a pid of the container's namespace");
            assertTrue(Integer.parseInt(lines.get(0)) > 1 && Integer.parseInt(lines.get(0)) < 100, lines.toString());
            assertEquals("canal-test", lines.get(1), "the container's uts namespace");
            assertEquals(
                    Files.readSymbolicLink(Path.of("/proc/" + container.pid() + "/ns/mnt"))
                            .toString(),
                    lines.get(2));
            int separator = lines.indexOf("--");
            assertEquals(
                    lines.subList(separator + 1, lines.size()), lines.subList(3, separator), "the cgroup of pid 1");
        } finally {
            container.delete(true);
        }
    }

    @Test
    void aTerminalFromTheContainersDevpts() throws Exception {
        Container container = running("exec-tty");
        try {
            ExecutedProcess process = container.exec("""
                    {"terminal": true, "consoleSize": {"height": 20, "width": 70}, "args": ["sh", "-c", "tty; stty size; cut -d' ' -f7 /proc/$$/stat; exit 3"],
                     "env": ["PATH=/bin"], "cwd": "/"}
                    """, Stdio.inherit());
            try (OwnedFd master = process.terminalMaster().orElseThrow()) {
                String output = readUntilClosed(master);
                assertEquals(3, Processes.waitForExit(process.pid()));
                var lines = output.split("\r\n");
                assertTrue(lines[0].startsWith("/dev/pts/"), output);
                assertEquals("20 70", lines[1]);
                // Field 7 of /proc/PID/stat, tty_nr (proc(5)): 0 without a controlling terminal.
                assertNotEquals("0", lines[2], "a controlling terminal: " + output);
            }
        } finally {
            container.delete(true);
        }
    }

    @Test
    void aPtmxSymlinkedToAHostFifoIsNeverOpened() throws Exception {
        // Issue 19.3: pid 1 chroots into a tree of its own where dev/pts/ptmx is a symlink to a
        // host FIFO. Opened from the host as /proc/PID/root/dev/pts/ptmx, the link's absolute
        // target would be resolved from the host's root.
        Path fifo = work.resolve("host-fifo");
        try (var directory = OwnedFd.open(work.toString(), linux_h.O_PATH() | linux_h.O_DIRECTORY(), 0)) {
            PathAt.mknod(directory, "host-fifo", linux_h.S_IFIFO() | 0600, 0);
        }
        var bundle = TestBundle.create(work.resolve("bundle-chroot"))
                .shell("mkdir -p /tmp/evil/dev/pts /tmp/evil/bin && cp /bin/busybox /tmp/evil/bin/"
                        + " && ln -s " + fifo + " /tmp/evil/dev/pts/ptmx"
                        + " && exec chroot /tmp/evil /bin/busybox sh -c 'echo chrooted; exec /bin/busybox sleep 600'");
        try (var devNull = OwnedFd.open("/dev/null", linux_h.O_RDONLY(), 0);
                var output = Pipe.create()) {
            Container container = new Containers(work.resolve("state"))
                    .create(
                            "exec-ptmx",
                            bundle.write(),
                            new CreateOptions(
                                    EngineChoice.AUTO,
                                    new Stdio(
                                            devNull.fd(),
                                            output.writeEnd().fd(),
                                            output.writeEnd().fd())));
            try (var reader = OwnedFd.open(fifo.toString(), linux_h.O_RDONLY() | linux_h.O_NONBLOCK(), 0)) {
                container.start();
                output.writeEnd().close();
                assertEquals("chrooted\n", readLine(output.readEnd()), "pid 1 is in its own root");
                var refused = assertThrows(
                        RuntimeException.class,
                        () -> container.exec(
                                "{\"terminal\": true, \"args\": [\"/bin/busybox\", \"true\"], \"cwd\": \"/\"}",
                                Stdio.inherit()));
                assertFalse(hangUpSeen(reader), "no one opened the host FIFO: " + refused);
                assertEquals(
                        "process.terminal: the container's /dev/pts/ptmx: openat2(/dev/pts/ptmx): ELOOP"
                                + " (Too many levels of symbolic links)",
                        refused.getMessage());
                // The check can see an opener: one open and close of the writing side.
                OwnedFd.open(fifo.toString(), linux_h.O_WRONLY() | linux_h.O_NONBLOCK(), 0)
                        .close();
                assertTrue(hangUpSeen(reader), "a writer that came and went shows");
            } finally {
                container.delete(true);
            }
        }
    }

    /** Bytes up to and including the first newline. */
    private static String readLine(OwnedFd fd) {
        var bytes = new ByteArrayOutputStream();
        byte[] one = new byte[1];
        while (fd.read(one, 0, 1) == 1) {
            bytes.write(one[0]);
            if (one[0] == '\n') {
                break;
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /**
     * Whether a writer has opened the FIFO since {@code reader} (opened O_NONBLOCK with no writer)
     * was: Linux remembers the writers' count at such an open and reports POLLHUP only once it
     * changed and the writers are gone again (fs/pipe.c, pipe_poll), so even an open that was
     * closed at once shows. No wait: a timeout of 0.
     */
    private static boolean hangUpSeen(OwnedFd reader) {
        try (var arena = Arena.ofConfined()) {
            // struct pollfd { int fd; short events; short revents; }
            var pollfd = arena.allocate(8);
            pollfd.set(ValueLayout.JAVA_INT, 0, reader.fd());
            pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            int ready = (int) POLL.invokeExact(pollfd, 1L, 0);
            assertTrue(ready >= 0, "poll");
            return (pollfd.get(ValueLayout.JAVA_SHORT, 6) & POLLHUP) != 0;
        } catch (Throwable t) {
            throw new AssertionError("poll", t);
        }
    }

    @Test
    void badInputLeavesNothingBehind() throws Exception {
        Container container = running("exec-bad");
        try {
            var malformed = assertThrows(RuntimeException.class, () -> container.exec("{\"args\": ", Stdio.inherit()));
            assertTrue(malformed.getMessage().startsWith("process: line 1, column "), malformed.getMessage());
            var noProgram = assertThrows(
                    RuntimeException.class,
                    () -> container.exec(
                            "{\"args\": [\"nope\"], \"env\": [\"PATH=/bin\"], \"cwd\": \"/\"}", Stdio.inherit()));
            assertTrue(noProgram.getMessage().contains("nope"), noProgram.getMessage());
            var relativeCwd = assertThrows(
                    RuntimeException.class,
                    () -> container.exec("{\"args\": [\"true\"], \"cwd\": \"tmp\"}", Stdio.inherit()));
            assertTrue(relativeCwd.getMessage().contains("process.cwd"), relativeCwd.getMessage());
            try (var entries = Files.list(work.resolve("state").resolve("exec-bad"))) {
                assertTrue(entries.noneMatch(
                        entry -> entry.getFileName().toString().startsWith("exec-")));
            }
            assertEquals(1, container.cgroup().pids().size(), "only the container's own process");
        } finally {
            container.delete(true);
        }
        var stopped =
                assertThrows(ContainerException.class, () -> container.exec("{\"args\": [\"true\"]}", Stdio.inherit()));
        assertEquals("cannot exec in container \"exec-bad\": it is stopped", stopped.getMessage());
    }

    @Test
    void pauseFreezesAndResumeThaws() throws Exception {
        Container container = running("pause");
        try {
            container.pause();
            assertEquals(ContainerStatus.PAUSED, container.status());
            assertEquals(ContainerStatus.PAUSED, container.state().status());
            var exec = assertThrows(
                    ContainerException.class, () -> container.exec("{\"args\": [\"true\"]}", Stdio.inherit()));
            assertEquals("cannot exec in container \"pause\": it is paused", exec.getMessage());
            var again = assertThrows(ContainerException.class, container::pause);
            assertEquals("container \"pause\" cannot be paused: it is paused", again.getMessage());
            var delete = assertThrows(ContainerException.class, () -> container.delete(false));
            assertTrue(delete.getMessage().contains("stop it first"), delete.getMessage());
            container.resume();
            assertEquals(ContainerStatus.RUNNING, container.status());
            var resumeAgain = assertThrows(ContainerException.class, container::resume);
            assertEquals("container \"pause\" cannot be resumed: it is running", resumeAgain.getMessage());
            container.pause();
        } finally {
            container.delete(true); // also from paused: killed, thawed, gone
        }
        assertEquals(ContainerStatus.STOPPED, container.status());
    }
}
