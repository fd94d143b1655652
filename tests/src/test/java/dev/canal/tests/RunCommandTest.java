package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.images.testing.TestRegistries;
import dev.canal.runtime.testing.BusyboxRootfs;
import dev.canal.runtime.testing.RequiresRoot;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code canal run} as a user types it: a busybox image imported once (with /etc/passwd and
 * /etc/group: user 1000, group extra 2000), or pulled from a registry on loopback; each test
 * checks from inside the container and, after it, that nothing is left: no container directory,
 * name, runtime state, mount or cgroup.
 */
@RequiresRoot
class RunCommandTest {

    @RegisterExtension
    static final TestRegistries registries = new TestRegistries();

    @TempDir
    static Path work;

    private static Path store;
    private static Path state;
    private static PrivateMountNamespace namespace;

    @BeforeAll
    static void importBusybox() throws Exception {
        store = work.resolve("store");
        state = work.resolve("state");
        namespace = PrivateMountNamespace.create();
        Path rootfs = BusyboxRootfs.create(work.resolve("rootfs"));
        Path tarball = work.resolve("rootfs.tar");
        Process tar = new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", tarball.toString(), ".")
                .inheritIO()
                .start();
        assertEquals(0, tar.waitFor());
        var imported = canal("import", tarball.toString(), "bb:1");
        assertEquals(0, imported.exitCode(), imported.stderr());
    }

    @AfterAll
    static void leaveTheNamespace() throws InterruptedException {
        namespace.close();
    }

    /** bin/canal on this test's roots, in its private mount namespace: the overlays never reach maven's. */
    private static CanalHome.Result canal(String... args) throws Exception {
        return namespace.run(canalCommand(args), Map.of());
    }

    private static List<String> canalCommand(String... args) {
        return PrivateCanal.command(store, state, args);
    }

    private static CanalHome.Result run(String... args) throws Exception {
        return canal(Stream.concat(Stream.of("run", "--rm"), Stream.of(args)).toArray(String[]::new));
    }

    /** After every test: what the runs made is gone (the tests that keep a container remove it). */
    @AfterEach
    void nothingLeft() throws IOException {
        PrivateCanal.assertNothingLeft(store, state, namespace);
    }

    /** Cgroup directories, in any hierarchy, of containers whose id begins with {@code shortId}. */
    private static List<Path> cgroupsOf(String shortId) throws IOException {
        var found = new ArrayList<Path>();
        try (Stream<Path> hierarchies = Files.list(Path.of("/sys/fs/cgroup"))) {
            for (Path hierarchy : hierarchies.toList()) {
                for (Path parent : List.of(hierarchy.resolve("canal"), hierarchy)) {
                    if (Files.isDirectory(parent)) {
                        try (Stream<Path> children = Files.list(parent)) {
                            children.filter(child ->
                                            child.getFileName().toString().startsWith(shortId))
                                    .forEach(found::add);
                        }
                    }
                }
            }
        }
        return found;
    }

    @Test
    void aMissingImageIsPulledFromTheRegistryThenRun() throws Exception {
        String name = registries.open().address() + "/bb:1.0";
        var result = run(name, "echo", "hi");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("hi\n", result.stdout());
        assertTrue(result.stderr().startsWith("Unable to find image '" + name + "' locally\n"), result.stderr());
        assertTrue(result.stderr().contains("Status: Downloaded newer image for " + name), result.stderr());

        var again = run(name, "echo", "again");
        assertEquals("again\n", again.stdout());
        assertEquals("", again.stderr(), "present now, not pulled again");
    }

    @Test
    void theProgramsStatusIsCanals() throws Exception {
        assertEquals(3, run("bb:1", "sh", "-c", "exit 3").exitCode());
    }

    @Test
    void sigtermToCanalGoesToTheContainer() throws Exception {
        Path output = Files.createTempFile(work, "signal", ".txt");
        // nsenter execs canal (it enters no pid namespace), so the SIGTERM reaches canal itself.
        Process canal = new ProcessBuilder(namespace.entering(canalCommand(
                        "run", "--rm", "bb:1", "sh", "-c", "trap 'exit 42' TERM; echo ready; sleep 100 & wait")))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(output.toFile())
                .redirectErrorStream(true)
                .start();
        try {
            while (!Files.readString(output).contains("ready") && canal.isAlive()) {
                Thread.sleep(50);
            }
            canal.destroy(); // SIGTERM to canal's JVM (the launcher execs it)
            assertTrue(canal.waitFor(60, TimeUnit.SECONDS));
            assertEquals(42, canal.exitValue(), Files.readString(output));
        } finally {
            canal.destroyForcibly();
        }
    }

    @Test
    void pidOneInItsOwnNamespacesWithTheShortIdAsHostName() throws Exception {
        var result = run("bb:1", "sh", "-c", "echo $$ $(hostname) $HOSTNAME; ls /sys/class/net");
        assertEquals(0, result.exitCode(), result.stderr());
        String[] lines = result.stdout().split("\n");
        assertTrue(lines[0].matches("1 ([0-9a-f]{12}) \\1"), result.stdout());
        assertEquals("lo", lines[1], "only loopback");
        assertEquals(List.of(), cgroupsOf(lines[0].split(" ")[1]), "the container's cgroup is removed");
    }

    @Test
    void envWorkdirAndUserOverrideTheImage() throws Exception {
        var result = run(
                "-e",
                "FOO=bar",
                "-e",
                "PATH=/bin",
                "-w",
                "/made/here",
                "-u",
                "user",
                "bb:1",
                "sh",
                "-c",
                "echo $FOO $PATH $HOME; pwd; id -u; id -g; id -G");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("bar /bin /home/user\n/made/here\n1000\n1000\n1000 2000\n", result.stdout());

        var numeric = run("-u", "1234:5", "bb:1", "sh", "-c", "id -u; id -g");
        assertEquals("1234\n5\n", numeric.stdout(), numeric.stderr());
    }

    @Test
    void aReadOnlyVolumeShowsTheHostDirectoryAndRefusesWrites() throws Exception {
        Path volume = Files.createDirectories(work.resolve("volume"));
        Files.writeString(volume.resolve("file"), "from the host\n");
        var result = run("-v", volume + ":/data:ro", "bb:1", "sh", "-c", "cat /data/file; touch /data/new");
        assertEquals(1, result.exitCode());
        assertEquals("from the host\n", result.stdout());
        assertTrue(result.stderr().contains("Read-only file system"), result.stderr());
        assertFalse(Files.exists(volume.resolve("new")));
    }

    @Test
    void aMemoryLimitKillsWhatAllocatesMoreAndSigkillIs137() throws Exception {
        // busybox tail keeps the last line of a stream: of /dev/zero, one that never ends.
        var result = run("-m", "32m", "bb:1", "tail", "/dev/zero");
        assertEquals(137, result.exitCode(), "the OOM killer's SIGKILL, 128 + 9: " + result.stderr());
        var within = run("-m", "32m", "bb:1", "sh", "-c", "head -c 8m /dev/zero | tail | wc -c");
        assertEquals("8388608\n", within.stdout(), within.stderr());
    }

    @Test
    void aPidsLimitStopsForks() throws Exception {
        var result = run("--pids-limit", "3", "bb:1", "sh", "-c", "sleep 1 & sleep 1 & sleep 1 & wait");
        assertTrue(result.stderr().contains("can't fork"), result.stderr());
    }

    @Test
    void aContainersWritesStayInItsOwnLayerAndRmRemovesIt() throws Exception {
        var first = canal("run", "--name", "writer", "bb:1", "sh", "-c", "echo data > /etc/written; exit 7");
        assertEquals(7, first.exitCode(), first.stderr());
        var second = run("bb:1", "sh", "-c", "ls /etc");
        // The image's two files, and the three the engine writes for every container, as docker does.
        assertEquals(
                "group\nhostname\nhosts\npasswd\nresolv.conf\n",
                second.stdout(),
                "the image is unchanged: no /etc/written");

        try {
            var ps = canal("ps", "-a");
            assertTrue(
                    ps.stdout()
                            .lines()
                            .anyMatch(line -> line.matches(
                                    "[0-9a-f]{12} +bb:1 +\"sh -c echo data > /…\" .* Exited \\(7\\) .* +writer")),
                    ps.stdout());
            assertEquals("", canal("ps", "-q").stdout(), "nothing runs");
            var taken = canal("run", "--name", "writer", "bb:1", "true");
            assertEquals(125, taken.exitCode());
            assertTrue(
                    taken.stderr().startsWith("canal: Conflict. The container name \"/writer\" is already in use"),
                    taken.stderr());
        } finally {
            var rm = canal("rm", "writer");
            assertEquals(0, rm.exitCode(), rm.stderr());
            assertEquals("writer\n", rm.stdout());
        }
    }

    @Test
    void badInputIsOneLineWithStatus125AndLeavesNothing() throws Exception {
        assertOneLineFailure(
                run("--pull", "never", "no-such-image:1", "true"),
                "canal: no such image: no-such-image:1 (and --pull never)");
        assertOneLineFailure(
                run("-u", "nobody-here", "bb:1", "true"),
                "canal: unable to find user nobody-here: no matching entries in passwd file");
        assertOneLineFailure(
                run("-v", "/tmp:relative", "bb:1", "true"),
                "canal: -v /tmp:relative: the container path must be absolute");
        assertOneLineFailure(run("--network", "no-such-net", "bb:1", "true"), "canal: network no-such-net not found");
        String longName = "h".repeat(100);
        assertOneLineFailure(
                run("-h", longName, "bb:1", "true"),
                "canal: --hostname " + longName
                        + ": 100 bytes; a host name is at most 64 (HOST_NAME_MAX, sethostname(2))");
        assertOneLineFailure(
                run("-m", "lots", "bb:1", "true"),
                "canal: -m lots: not a size (a number with an optional unit k, m, g, t or p, as in 64m or 1.5g)");
        assertOneLineFailure(run("--bogus", "bb:1"), "canal: run: Unknown option: '--bogus' (see canal run --help)");
        assertOneLineFailure(
                run("bb:1"),
                "canal: no command specified: the image has no Entrypoint or Cmd; give one after the image");
    }

    @Test
    void interactiveWithATerminalRefusesInputThatIsNotOneAsDockerDoes() throws Exception {
        var result = run("-it", "bb:1", "true"); // standard input: /dev/null
        assertEquals(1, result.exitCode());
        assertEquals("canal: the input device is not a TTY\n", result.stderr());
        assertEquals("", result.stdout());
    }

    @Test
    void aMissingVolumeSourceIsMadeAsADirectoryAndTakenAwayIfTheRunFails() throws Exception {
        Path source = work.resolve("made/by/run");
        var result = run("-v", source + ":/data", "bb:1", "sh", "-c", "echo written > /data/file");
        assertEquals(0, result.exitCode(), result.stderr());
        assertEquals("written\n", Files.readString(source.resolve("file")));

        Path never = work.resolve("never/made");
        assertEquals(127, run("-v", never + ":/data", "bb:1", "no-such-program").exitCode());
        assertFalse(Files.exists(work.resolve("never")), "made for a container that never ran, then removed");
    }

    @Test
    void networkNoneHasOnlyLoopbackAndHostIsTheHostsNetworkAndName() throws Exception {
        var none = run("--net=none", "bb:1", "ls", "/sys/class/net");
        assertEquals("lo\n", none.stdout(), none.stderr());
        var host = run("--network", "host", "bb:1", "sh", "-c", "readlink /proc/self/ns/net; hostname");
        assertEquals(0, host.exitCode(), host.stderr());
        assertEquals(
                Files.readSymbolicLink(Path.of("/proc/self/ns/net")) + "\n"
                        + Files.readString(Path.of("/proc/sys/kernel/hostname")),
                host.stdout());
    }

    /** {@code canal run} in the background, its output in a file, for stop and rm to act on. */
    private record Background(Process canal, Path output) {

        static Background start(String... args) throws IOException {
            Path output = Files.createTempFile(work, "background", ".txt");
            var command = new ArrayList<>(List.of("run"));
            command.addAll(List.of(args));
            Process canal = new ProcessBuilder(namespace.entering(canalCommand(command.toArray(String[]::new))))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(output.toFile())
                    .redirectErrorStream(true)
                    .start();
            return new Background(canal, output);
        }

        /** Waits for the container to print "ready". */
        void awaitReady() throws Exception {
            while (!Files.readString(output).contains("ready")) {
                assertTrue(canal.isAlive(), "canal run ended: " + Files.readString(output));
                Thread.sleep(50);
            }
        }

        int awaitExit() throws Exception {
            assertTrue(canal.waitFor(120, TimeUnit.SECONDS), "canal run still waits");
            return canal.exitValue();
        }
    }

    /** After a test with containers in the background: whatever is left is killed and removed. */
    private static void removeForcibly(Background background, String name) throws Exception {
        if (background.canal().isAlive()) {
            canal("rm", "-f", name);
            background.canal().destroyForcibly().waitFor();
        }
    }

    @Test
    void stopSendsSigtermThenSigkillAfterTheTimeout() throws Exception {
        // A first process with no handler for SIGTERM does not get it from outside its pid
        // namespace (pid_namespaces(7)): sleep is killed after the timeout; the trap exits at once.
        var ignoring = Background.start("--name", "ignores", "bb:1", "sh", "-c", "echo ready; exec sleep 100");
        var handling = Background.start(
                "--name", "handles", "bb:1", "sh", "-c", "trap 'exit 42' TERM; echo ready; sleep 100 & wait");
        try {
            ignoring.awaitReady();
            handling.awaitReady();
            var stop = canal("stop", "-t", "1", "ignores", "handles");
            assertEquals(0, stop.exitCode(), stop.stderr());
            assertEquals("ignores\nhandles\n", stop.stdout());
            assertEquals(137, ignoring.awaitExit(), "128 + SIGKILL");
            assertEquals(42, handling.awaitExit());
            String ps = canal("ps", "-a").stdout();
            assertTrue(ps.lines().anyMatch(line -> line.matches(".* Exited \\(137\\) .* +ignores")), ps);
            assertTrue(ps.lines().anyMatch(line -> line.matches(".* Exited \\(42\\) .* +handles")), ps);
            assertEquals("ignores\n", canal("stop", "ignores").stdout(), "a stopped one is left as it is");
        } finally {
            removeForcibly(ignoring, "ignores");
            removeForcibly(handling, "handles");
            canal("rm", "ignores", "handles");
        }
    }

    @Test
    void rmOfARunningContainerIsRefusedAndRmForceKillsAndRemovesIt() throws Exception {
        var running = Background.start("--name", "busy", "bb:1", "sh", "-c", "echo ready; exec sleep 100");
        try {
            running.awaitReady();
            var refused = canal("rm", "busy");
            assertEquals(1, refused.exitCode());
            assertEquals(
                    "canal: cannot remove container \"/busy\": container is running: "
                            + "stop the container before removing or force remove\n",
                    refused.stderr());
            var forced = canal("rm", "-f", "busy");
            assertEquals(0, forced.exitCode(), forced.stderr());
            assertEquals("busy\n", forced.stdout());
            assertEquals(137, running.awaitExit());
        } finally {
            removeForcibly(running, "busy");
        }
    }

    @Test
    void rmiKeepsTheLastNameOfAnImageAContainerUsesUnlessForced() throws Exception {
        assertEquals(
                0,
                canal("import", work.resolve("rootfs.tar").toString(), "doomed:1")
                        .exitCode());
        var made = canal("run", "--name", "doomed-user", "doomed:1", "true");
        try {
            assertEquals(0, made.exitCode(), made.stderr());
            var refused = canal("rmi", "doomed:1");
            assertEquals(1, refused.exitCode());
            assertTrue(
                    refused.stderr()
                            .matches("canal: conflict: unable to remove repository reference \"doomed:1\" "
                                    + "\\(must force\\) - container [0-9a-f]{12} is using its referenced image "
                                    + "[0-9a-f]{12}\n"),
                    refused.stderr());
            assertTrue(canal("images").stdout().contains("doomed "), "still there");
            var forced = canal("rmi", "-f", "doomed:1");
            assertEquals("Untagged: doomed:1\n", forced.stdout(), forced.stderr());
        } finally {
            canal("rm", "doomed-user");
        }
    }

    private static void assertOneLineFailure(CanalHome.Result result, String message) {
        assertEquals(125, result.exitCode(), result.stderr());
        assertEquals(message + "\n", result.stderr());
        assertEquals("", result.stdout());
    }

    /**
     * A container's config.json holds its environment, secrets included: it is 0600 in a 0700
     * container directory of a 0700 store (as Docker's), so another local user cannot read it;
     * a store an older canal made 0755 is closed when next opened.
     */
    @Test
    void aContainersConfigWithASecretIsOwnerOnly() throws Exception {
        Nobody.openToAll(work);
        Nobody.openToAll(store);
        var run = canal("run", "--name", "secretive", "-e", "DB_PASSWORD=hunter2", "bb:1", "true");
        assertEquals(0, run.exitCode(), run.stderr());
        try {
            Path directory;
            try (Stream<Path> containers = Files.list(store.resolve("containers"))) {
                directory = containers.findFirst().orElseThrow();
            }
            Path config = directory.resolve("config.json");
            assertTrue(Files.readString(config).contains("DB_PASSWORD=hunter2"));
            assertEquals("700", Nobody.mode(store), "the store");
            assertEquals("700", Nobody.mode(store.resolve("containers")));
            assertEquals("700", Nobody.mode(directory), "the container's directory");
            assertEquals("600", Nobody.mode(config));
            assertEquals("600", Nobody.mode(directory.resolve("canal.json")), "its record, with the command line");
            assertEquals("700", Nobody.mode(state.resolve("runtime")), "the runtime's state root");
            var read = Nobody.cat(config);
            assertEquals(1, read.exitCode(), read.stdout());
            assertEquals("", read.stdout());
            assertTrue(read.stderr().contains("Permission denied"), read.stderr());
        } finally {
            assertEquals(0, canal("rm", "secretive").exitCode());
        }
    }

    @Test
    void aMissingProgramIs127AndOneThatCannotRunIs126() throws Exception {
        var missing = run("bb:1", "no-such-program");
        assertEquals(127, missing.exitCode());
        assertEquals(
                "canal: failed to create task for container: exec: \"no-such-program\": "
                        + "executable file not found in $PATH: unknown\n",
                missing.stderr());
        assertEquals(126, run("bb:1", "/etc/passwd").exitCode());
    }

    @Test
    void withTtyTheContainerHasATerminalOfTheCallersSize() throws Exception {
        // script(1) gives canal a terminal of its own; stty sets its size first. That terminal
        // is /dev/pts/0 of a devpts instance of the test's own (in a mount namespace of its
        // own), the very name of the container's console in the container's instance: canal's
        // fd 0, which the process has until it opens its console, must not pass for it
        // (ConsoleOpened). The first tty shows the caller's name.
        String inCallersTerminal = "stty rows 33 cols 99; tty; "
                + String.join(" ", canalCommand("run", "--rm", "-t", "bb:1"))
                + " sh -c 'tty; stty size; echo $TERM; exit 4'";
        String inOwnDevpts = "mount -t devpts -o newinstance,ptmxmode=0666 devpts /dev/pts"
                + " && mount --bind /dev/pts/ptmx /dev/ptmx && exec script -qec \"$0\" /dev/null";
        Path output = Files.createTempFile(work, "tty", ".txt");
        Process script = new ProcessBuilder(namespace.entering(List.of(
                        "unshare", "-m", "--propagation", "private", "sh", "-c", inOwnDevpts, inCallersTerminal)))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectOutput(output.toFile())
                .redirectErrorStream(true)
                .start();
        assertTrue(script.waitFor(60, TimeUnit.SECONDS));
        String printed = Files.readString(output, StandardCharsets.UTF_8);
        assertEquals(4, script.exitValue(), printed);
        assertEquals(
                List.of("/dev/pts/0", "/dev/pts/0", "33 99", "xterm"),
                printed.replace("\r", "").lines().toList());
    }
}
