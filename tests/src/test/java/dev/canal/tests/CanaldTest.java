package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The real docker CLI (28.2, API 1.50) against bin/canald, unmodified, through DOCKER_HOST: the
 * commands of issue 16 and docker's error model. One canald serves every test of this class
 * ({@link PrivateCanald}: its own socket, data root and exec root, in a private mount namespace);
 * the tests use names of their own, so they do not see each other's containers. What a daemon's
 * own life does to its containers (SIGTERM, kill -9 and restart) is {@link CanaldLifecycleTest}.
 */
@RequiresRoot
class CanaldTest {

    private static final String IMAGE = "canald-busybox";

    private static PrivateCanald canald;

    @BeforeAll
    static void canaldWithABusyboxImage() throws Exception {
        canald = PrivateCanald.startWithImage(IMAGE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (canald != null) {
            canald.close();
        }
    }

    private static String name(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @Test
    void versionAndInfoNameCanalWithoutADockerApiVersion() throws Exception {
        // The CLI negotiates (GET /_ping's Api-Version header): it must not need DOCKER_API_VERSION.
        assertEquals(
                "Canal 1.50 1.50",
                canald.succeeds(
                        "version",
                        "--format",
                        "{{.Server.Platform.Name}} {{.Server.APIVersion}} {{.Client.APIVersion}}"));
        assertEquals(
                "overlay json-file canal",
                canald.succeeds("info", "--format", "{{.Driver}} {{.LoggingDriver}} {{.DefaultRuntime}}"));
    }

    @Test
    void runPassesOutputAndExitStatus() throws Exception {
        var hi = canald.docker("run", "--rm", IMAGE, "echo", "hi");
        assertEquals(0, hi.exitCode(), hi.stderr());
        assertEquals("hi\n", hi.stdout());
        assertEquals(
                7, canald.docker("run", "--rm", IMAGE, "sh", "-c", "exit 7").exitCode());
        // docker's codes for a program that is not there (127), as with dockerd.
        var missing = canald.docker("run", "--rm", IMAGE, "/nonexistent");
        assertEquals(127, missing.exitCode(), missing.stderr());
        assertTrue(missing.stderr().contains("/nonexistent"), missing.stderr());
    }

    @Test
    void runAppliesTheProcessOptions() throws Exception {
        assertEquals(
                "uid=1000(user) gid=1000(user)\n/home\nbar",
                canald.succeeds(
                        "run",
                        "--rm",
                        "-u",
                        "1000:1000",
                        "-e",
                        "FOO=bar",
                        "-w",
                        "/home",
                        IMAGE,
                        "sh",
                        "-c",
                        "id; pwd; echo $FOO"));
        assertEquals(
                "from entrypoint",
                canald.succeeds("run", "--rm", "--entrypoint", "/bin/echo", IMAGE, "from entrypoint"));
        var readOnly = canald.docker("run", "--rm", "--read-only", IMAGE, "touch", "/file");
        assertEquals(1, readOnly.exitCode());
        assertTrue(readOnly.stderr().contains("Read-only file system"), readOnly.stderr());
        // CapEff (proc(5)): docker's default set, or nothing at all with --cap-drop ALL.
        assertEquals(
                "CapEff:\t00000000a80425fb",
                canald.succeeds("run", "--rm", IMAGE, "grep", "CapEff", "/proc/self/status"));
        assertEquals(
                "CapEff:\t0000000000000000",
                canald.succeeds("run", "--rm", "--cap-drop", "ALL", IMAGE, "grep", "CapEff", "/proc/self/status"));
    }

    @Test
    void runAppliesCgroupLimits() throws Exception {
        // cgroup v1 names the files of each controller's hierarchy, v2 those of the one hierarchy.
        assertEquals(
                "67108864 20",
                canald.succeeds(
                        "run",
                        "--rm",
                        "-m",
                        "64m",
                        "--pids-limit",
                        "20",
                        IMAGE,
                        "sh",
                        "-c",
                        "echo $(cat /sys/fs/cgroup/memory/memory.limit_in_bytes 2>/dev/null || cat /sys/fs/cgroup/memory.max)"
                                + " $(cat /sys/fs/cgroup/pids/pids.max 2>/dev/null || cat /sys/fs/cgroup/pids.max)"));
    }

    @Test
    void bindMountsNamedVolumesAndTmpfs() throws Exception {
        Path shared = Files.createDirectories(canald.work().resolve(name("bind")));
        Files.writeString(shared.resolve("from-host"), "host\n");
        assertEquals(
                "host",
                canald.succeeds(
                        "run",
                        "--rm",
                        "-v",
                        shared + ":/shared",
                        IMAGE,
                        "sh",
                        "-c",
                        "cat /shared/from-host; echo container > /shared/from-container"));
        assertEquals("container\n", Files.readString(shared.resolve("from-container")));

        String volume = name("vol");
        canald.succeeds("run", "--rm", "-v", volume + ":/data", IMAGE, "sh", "-c", "echo kept > /data/file");
        assertEquals("kept", canald.succeeds("run", "--rm", "-v", volume + ":/data", IMAGE, "cat", "/data/file"));
        assertTrue(canald.succeeds("volume", "ls", "--format", "{{.Name}}")
                .lines()
                .toList()
                .contains(volume));
        canald.succeeds("volume", "rm", volume);

        assertTrue(canald.succeeds("run", "--rm", "--tmpfs", "/scratch", IMAGE, "grep", " /scratch ", "/proc/mounts")
                .startsWith("tmpfs /scratch tmpfs"));
    }

    @Test
    void detachedNamedLabelledContainerInPsLogsExecAndInspect() throws Exception {
        String name = name("detached");
        String id = canald.succeeds(
                "run",
                "-d",
                "--name",
                name,
                "--label",
                "tour=daemon",
                IMAGE,
                "sh",
                "-c",
                "for i in 1 2 3 4 5; do echo line$i; done; exec sleep 600");
        assertEquals(64, id.length(), id);
        assertEquals(
                name + " tour=daemon",
                canald.succeeds(
                        "ps",
                        "--filter",
                        "label=tour=daemon",
                        "--filter",
                        "name=" + name,
                        "--format",
                        "{{.Names}} {{.Labels}}"));
        assertEquals(
                "running /" + name + " " + IMAGE,
                canald.succeeds("inspect", "--format", "{{.State.Status}} {{.Name}} {{.Config.Image}}", name));

        awaitLogLine(name, "line5");
        assertEquals("line4\nline5", canald.succeeds("logs", "--tail", "2", name));
        // -t: each line with the RFC 3339 time the engine wrote in its json-file log.
        assertTrue(canald.succeeds("logs", "-t", "--tail", "1", name).matches("\\d{4}-\\d\\d-\\d\\dT\\S+Z line5"));

        assertEquals(
                "1\n1000\n/tmp",
                canald.succeeds(
                        "exec", "-e", "E=1", "-u", "1000", "-w", "/tmp", name, "sh", "-c", "echo $E; id -u; pwd"));
        assertEquals(3, canald.docker("exec", name, "sh", "-c", "exit 3").exitCode());
        removeLeavingNothing(name);
    }

    @Test
    void terminalsStartWithTheClientsWindowSize() throws Exception {
        String name = name("tty");
        canald.succeeds("run", "-d", "--name", name, IMAGE, "sleep", "600");
        // script(1) gives the CLI a terminal of 30 rows and 100 columns; -it sends its size as
        // ConsoleSize, and the container's terminal has it before the program reads it. script's
        // input is a pipe held open: at the end of a file it would type an end-of-file character
        // into the terminal, which the terminal may echo once the CLI has given it back.
        var script = new ProcessBuilder(
                        "script",
                        "-qec",
                        "stty rows 30 cols 100; " + CanaldLauncher.DOCKER + " exec -it " + name + " stty size; "
                                + CanaldLauncher.DOCKER + " run -it --rm " + IMAGE + " stty size",
                        "/dev/null")
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        script.environment().putAll(canald.clientEnvironment());
        Process terminal = script.start();
        try (var typed = terminal.getOutputStream()) {
            assertEquals(
                    "30 100\r\n30 100\r\n", new String(terminal.getInputStream().readAllBytes()));
            assertEquals(0, terminal.waitFor());
        }
        removeLeavingNothing(name);
    }

    @Test
    void createStartStopKillRestartWaitRenameRm() throws Exception {
        String name = name("life");
        canald.succeeds("create", "--name", name, IMAGE, "sleep", "600");
        assertEquals("created", canald.succeeds("inspect", "--format", "{{.State.Status}}", name));
        canald.succeeds("start", name);
        assertEquals("running", canald.succeeds("inspect", "--format", "{{.State.Status}}", name));
        // sleep is pid 1 without a SIGTERM handler, so the kernel drops SIGTERM: stop ends with SIGKILL, 137.
        canald.succeeds("stop", "-t", "1", name);
        assertEquals(
                "exited 137", canald.succeeds("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", name));
        canald.succeeds("restart", "-t", "1", name);
        assertEquals("running", canald.succeeds("inspect", "--format", "{{.State.Status}}", name));
        canald.succeeds("kill", "-s", "KILL", name);
        assertEquals("137", canald.succeeds("wait", name));

        String renamed = name("renamed");
        canald.succeeds("rename", name, renamed);
        assertEquals(1, canald.docker("inspect", name).exitCode());
        canald.succeeds("start", renamed);
        removeLeavingNothing(renamed);

        String ending = name("ending");
        canald.succeeds("run", "-d", "--name", ending, IMAGE, "sh", "-c", "sleep 1; exit 5");
        assertEquals("5", canald.succeeds("wait", ending));
        canald.succeeds("rm", ending);
    }

    /**
     * docker stats --no-stream as the CLI works it out from canald's ContainerStats: a -m limit
     * as the memory column's second half, and reads and writes on a volume's block device (a
     * loop device of the test's, throttled so that blk-throttle counts them on v1 too:
     * docs/resources.md) as BLOCK I/O.
     */
    @Test
    void statsShowTheMemoryLimitBlockIoAndPids() throws Exception {
        String name = name("measured");
        Path mountPoint = canald.work().resolve("volume-" + name);
        try (var volume = LoopFilesystem.mount(canald.process().pid(), mountPoint, 32L << 20)) {
            canald.succeeds(
                    "run",
                    "-d",
                    "--name",
                    name,
                    "-m",
                    "32m",
                    "--device-read-bps",
                    volume.device() + ":100mb",
                    "-v",
                    mountPoint + ":/data",
                    IMAGE,
                    "sh",
                    "-c",
                    "dd if=/dev/zero of=/data/f bs=64k count=16 oflag=direct && "
                            + "dd if=/data/f of=/dev/null bs=64k iflag=direct && echo read && sleep 600");
            awaitLog(name, "read");
            String[] stats = canald.succeeds(
                            "stats", "--no-stream", "--format", "{{.MemUsage}}|{{.BlockIO}}|{{.PIDs}}", name)
                    .split("\\|");
            assertTrue(stats[0].endsWith(" / 32MiB"), String.join("|", stats));
            // 16 blocks of 64 KiB each way, 1.05MB in docker's decimal units, and perhaps a
            // block of the file system's own.
            assertTrue(stats[1].matches("1\\.0[5-9]MB / 1\\.0[5-9]MB"), stats[1]);
            assertTrue(Integer.parseInt(stats[2]) >= 1, stats[2]);
            removeLeavingNothing(name);
        }
    }

    private static void awaitLog(String container, String line) throws Exception {
        for (int attempt = 0;
                attempt < 100 && !canald.succeeds("logs", container).contains(line);
                attempt++) {
            Thread.sleep(100);
        }
        assertTrue(canald.succeeds("logs", container).contains(line), canald.succeeds("logs", container));
    }

    @Test
    void pauseTopStatsEventsAndAFollowedLog() throws Exception {
        String name = name("watched");
        String id = canald.succeeds("run", "-d", "--name", name, IMAGE, "sleep", "600");
        // The freezer freezes the cgroup: docker ps shows it, and the process stays in the list.
        canald.succeeds("pause", name);
        assertEquals("paused", canald.succeeds("inspect", "--format", "{{.State.Status}}", name));
        canald.succeeds("unpause", name);
        assertTrue(canald.succeeds("top", name).lines().anyMatch(line -> line.endsWith("sleep 600")));
        assertEquals(name + " 1", canald.succeeds("stats", "--no-stream", "--format", "{{.Name}} {{.PIDs}}", name));
        var events = canald.docker(
                "events", "--since", "5m", "--until", "0s", "--filter", "container=" + id, "--format", "{{.Action}}");
        assertEquals(
                List.of("create", "start", "pause", "unpause"),
                events.stdout().lines().toList(),
                events.stderr());
        removeLeavingNothing(name);

        // logs -f follows until the container ends, then returns.
        String talker = name("talker");
        canald.succeeds("run", "-d", "--name", talker, IMAGE, "sh", "-c", "echo one; sleep 1; echo two");
        assertEquals("one\ntwo", canald.succeeds("logs", "-f", talker));
        canald.succeeds("rm", talker);
    }

    @Test
    void psFiltersByStatusAndFormats() throws Exception {
        String exited = name("exited");
        canald.succeeds("run", "--name", exited, IMAGE, "true");
        var running = canald.docker("ps", "--format", "{{.Names}}");
        assertFalse(running.stdout().contains(exited), running.stdout());
        assertEquals(
                exited + " " + IMAGE + " \"true\"",
                canald.succeeds(
                        "ps",
                        "-a",
                        "--filter",
                        "name=" + exited,
                        "--filter",
                        "status=exited",
                        "--format",
                        "{{.Names}} {{.Image}} {{.Command}}"));
        canald.succeeds("rm", exited);
    }

    @Test
    void copyInAndOut() throws Exception {
        String name = name("cp");
        canald.succeeds("run", "-d", "--name", name, IMAGE, "sleep", "600");
        Path in = canald.work().resolve(name + "-in");
        Files.writeString(in, "into the container\n");
        canald.succeeds("cp", in.toString(), name + ":/tmp/copied");
        assertEquals("into the container", canald.succeeds("exec", name, "cat", "/tmp/copied"));
        Path out = canald.work().resolve(name + "-out");
        canald.succeeds("cp", name + ":/etc/passwd", out.toString());
        assertTrue(Files.readString(out).startsWith("root:x:0:0:"));
        removeLeavingNothing(name);
    }

    @Test
    void imagesTagRmiVolumesSystemDfAndPrune() throws Exception {
        String tag = IMAGE + ":" + name("tag");
        canald.succeeds("tag", IMAGE, tag);
        assertTrue(canald.succeeds("images", "--format", "{{.Repository}}:{{.Tag}}")
                .lines()
                .toList()
                .contains(tag));
        assertTrue(canald.succeeds("rmi", tag).contains("Untagged: " + tag));
        assertEquals(1, canald.docker("image", "inspect", tag).exitCode());

        String volume = name("vol");
        assertEquals(volume, canald.succeeds("volume", "create", volume));
        assertEquals(
                volume + " local " + canald.work().resolve("data/volumes/" + volume + "/_data"),
                canald.succeeds("volume", "inspect", "--format", "{{.Name}} {{.Driver}} {{.Mountpoint}}", volume));
        canald.succeeds("run", "--rm", "-v", volume + ":/data", IMAGE, "true");
        // The table the CLI prints reads each volume's UsageData: df must answer it.
        var df = canald.succeeds("system", "df");
        assertTrue(df.contains("Local Volumes"), df);
        assertTrue(df.contains("Images"), df);

        String stopped = name("pruned");
        canald.succeeds("run", "--name", stopped, IMAGE, "true");
        String stoppedId = canald.succeeds("inspect", "--format", "{{.Id}}", stopped);
        assertTrue(canald.succeeds("container", "prune", "-f").contains(stoppedId));
        assertEquals(1, canald.docker("inspect", stopped).exitCode());
        assertTrue(canald.succeeds("volume", "prune", "-f", "-a").contains(volume));
        assertFalse(canald.succeeds("volume", "ls", "--format", "{{.Name}}").contains(volume));
    }

    /**
     * {@code volume ls} takes moby's {@code name}, {@code driver}, {@code label} and
     * {@code dangling} filters; {@code volume prune} its {@code label} and {@code label!} (and
     * {@code all}, which {@code -a} sends). Others are refused. Both ignored them: {@code ls}
     * listed every volume, and {@code prune --filter label!=keep} removed the volumes it was
     * to keep.
     */
    @Test
    void volumeLsAndPruneApplyTheirFilters() throws Exception {
        String kept = name("keep");
        String gone = name("gone");
        canald.succeeds("volume", "create", "--label", "keep", kept);
        canald.succeeds("volume", "create", gone);
        try {
            assertEquals(
                    List.of(kept),
                    canald.succeeds("volume", "ls", "-q", "--filter", "label=keep")
                            .lines()
                            .toList());
            assertEquals(
                    List.of(gone),
                    canald.succeeds("volume", "ls", "-q", "--filter", "name=" + gone)
                            .lines()
                            .toList());
            String dangling =
                    canald.succeeds("volume", "ls", "-q", "--filter", "dangling=true", "--filter", "driver=local");
            assertTrue(dangling.contains(kept) && dangling.contains(gone), dangling);
            var colour = canald.docker("volume", "ls", "--filter", "colour=red");
            assertEquals(1, colour.exitCode());
            assertEquals(
                    "Error response from daemon: invalid filter 'colour'",
                    colour.stderr().strip());
            var until = canald.docker("volume", "prune", "-f", "--filter", "until=24h");
            assertEquals(1, until.exitCode());
            assertEquals(
                    "Error response from daemon: invalid filter 'until'",
                    until.stderr().strip());
            String pruned = canald.succeeds("volume", "prune", "-f", "-a", "--filter", "label!=keep");
            assertTrue(pruned.contains(gone), pruned);
            assertFalse(pruned.contains(kept), pruned);
            List<String> left = canald.succeeds("volume", "ls", "-q").lines().toList();
            assertTrue(left.contains(kept) && !left.contains(gone), left.toString());
        } finally {
            canald.docker("volume", "rm", kept);
            canald.docker("volume", "rm", gone);
        }
    }

    /**
     * {@code container prune} takes moby's prune filters ({@code until}, {@code label},
     * {@code label!}) as dockerd 20.10 does, and refuses others; canald ignored them all before,
     * so {@code --filter until=...} removed every stopped container, the ones it was to keep too.
     */
    @Test
    void containerPruneRemovesOnlyWhatItsFiltersSelect() throws Exception {
        String kept = name("kept");
        String spare = name("spare");
        canald.succeeds("create", "--name", kept, "--label", "prune-test", "--label", "keep=yes", IMAGE, "true");
        canald.succeeds("create", "--name", spare, "--label", "prune-test", IMAGE, "true");
        String keptId = canald.succeeds("inspect", "--format", "{{.Id}}", kept);
        String spareId = canald.succeeds("inspect", "--format", "{{.Id}}", spare);

        String yesterday =
                LocalDateTime.now().minusDays(1).format(DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss"));
        String old = canald.succeeds("container", "prune", "-f", "--filter", "until=" + yesterday);
        assertFalse(old.contains(keptId) || old.contains(spareId), old);
        var unknown = canald.docker("container", "prune", "-f", "--filter", "colour=red");
        assertEquals(1, unknown.exitCode());
        assertEquals(
                "Error response from daemon: invalid filter 'colour'",
                unknown.stderr().strip());
        var bogus = canald.docker("container", "prune", "-f", "--filter", "until=bogus");
        assertEquals(1, bogus.exitCode());
        assertEquals(
                "Error response from daemon: failed to parse value as time or duration: \"bogus\"",
                bogus.stderr().strip());

        String pruned =
                canald.succeeds("container", "prune", "-f", "--filter", "label=prune-test", "--filter", "label!=keep");
        assertTrue(pruned.contains(spareId), pruned);
        assertFalse(pruned.contains(keptId), pruned);
        assertEquals(0, canald.docker("inspect", kept).exitCode());
        canald.succeeds("rm", kept);
    }

    /**
     * {@code image prune} removes images as moby's ImagesPrune does: the dangling ones (here a
     * commit without a name) no container uses, with {@code -a} named ones too, each untagged
     * then deleted, as far as the filters select; a filter it does not take is refused, with
     * nothing removed. Before, it removed unpacked layers only, never an image, and ignored its
     * filters. Every prune here selects this test's label: the shared canald's busybox stays.
     */
    @Test
    void imagePruneRemovesDanglingImagesAndWithAllEveryUnusedOne() throws Exception {
        String label = name("prune-image");
        String source = name("source");
        canald.succeeds("create", "--name", source, IMAGE, "true");
        String dangling = canald.succeeds("commit", "--change", "LABEL " + label + "=1", source);
        String used = canald.succeeds("commit", "--change", "LABEL " + label + "=1", source);
        String user = name("user");
        canald.succeeds("create", "--name", user, used, "true");
        String tag = name("pruned-tag") + ":1";
        String tagged = canald.succeeds("commit", "--change", "LABEL " + label + "=1", source, tag);

        var unknown = canald.docker("image", "prune", "-f", "--filter", "colour=red");
        assertEquals(1, unknown.exitCode());
        assertEquals(
                "Error response from daemon: invalid filter 'colour'",
                unknown.stderr().strip());
        assertEquals(0, canald.docker("image", "inspect", dangling).exitCode(), "a refused prune removes nothing");

        // The space reclaimed counts layers no image uses any more, another test's too.
        String reclaimed = "Total reclaimed space: [0-9.]+[kMG]?B";
        String old =
                canald.succeeds("image", "prune", "-f", "-a", "--filter", "label=" + label, "--filter", "until=24h");
        assertTrue(old.matches(reclaimed), "none was created a day ago: " + old);
        String danglingOnly = canald.succeeds("image", "prune", "-f", "--filter", "label=" + label);
        assertTrue(
                danglingOnly.matches(Pattern.quote("Deleted Images:\ndeleted: " + dangling + "\n\n") + reclaimed),
                "the dangling one; not the tagged one, nor the one a container uses: " + danglingOnly);
        assertEquals(1, canald.docker("image", "inspect", dangling).exitCode());
        String all = canald.succeeds("image", "prune", "-f", "-a", "--filter", "label=" + label);
        assertTrue(
                all.matches(Pattern.quote("Deleted Images:\nuntagged: " + tag + "\ndeleted: " + tagged + "\n\n")
                        + reclaimed),
                "with -a the tagged one too; a stopped container still uses the other: " + all);
        canald.succeeds("rm", user, source);
        String last = canald.succeeds("image", "prune", "-f", "-a", "--filter", "label=" + label);
        assertTrue(last.matches(Pattern.quote("Deleted Images:\ndeleted: " + used + "\n\n") + reclaimed), last);
        assertEquals(0, canald.docker("image", "inspect", IMAGE).exitCode());
    }

    @Test
    void errorsAreDockersOneLineMessagesAndStatus() throws Exception {
        // 404: the CLI prints the daemon's {"message": ...} after "Error response from daemon:".
        var missing = canald.docker("start", "no-such-container");
        assertEquals(1, missing.exitCode());
        assertTrue(
                missing.stderr().contains("Error response from daemon: No such container: no-such-container"),
                missing.stderr());

        // 409: a name in use, and removing a running container.
        String name = name("taken");
        canald.succeeds("run", "-d", "--name", name, IMAGE, "sleep", "600");
        var taken = canald.docker("run", "-d", "--name", name, IMAGE, "true");
        assertEquals(125, taken.exitCode());
        assertTrue(
                taken.stderr().contains("Conflict. The container name \"/" + name + "\" is already in use"),
                taken.stderr());
        var running = canald.docker("rm", name);
        assertEquals(1, running.exitCode());
        assertTrue(running.stderr().contains("container is running"), running.stderr());

        // 400: a bad parameter, refused before anything is made.
        var badLimit = canald.docker("run", "--rm", "--pids-limit", "-5", IMAGE, "true");
        assertEquals(125, badLimit.exitCode());
        assertTrue(
                badLimit.stderr().contains("Error response from daemon: --pids-limit -5: must be at least 1"),
                badLimit.stderr());
        var badMemory = canald.docker("run", "--rm", "-m", "1k", IMAGE, "true");
        assertEquals(125, badMemory.exitCode());
        assertTrue(badMemory.stderr().contains("the minimum memory limit is 6MB"), badMemory.stderr());
        assertEquals(
                List.of(name),
                canald.succeeds("ps", "-a", "--filter", "name=" + name, "--format", "{{.Names}}")
                        .lines()
                        .toList());
        removeLeavingNothing(name);
    }

    @Test
    void fiftyClientsAtOnceOnDifferentContainersAndTenOnOne() throws Exception {
        String prefix = name("many");
        List<String> names =
                IntStream.range(0, 50).mapToObj(i -> prefix + "-" + i).toList();
        try (var clients = Executors.newFixedThreadPool(50)) {
            var runs = names.stream()
                    .map(name ->
                            clients.submit(() -> canald.docker("run", "-d", "--name", name, IMAGE, "sleep", "600")))
                    .toList();
            for (var run : runs) {
                assertEquals(0, run.get().exitCode(), run.get().stderr());
            }
            assertEquals(
                    50,
                    canald.succeeds("ps", "-q", "--filter", "name=" + prefix)
                            .lines()
                            .count());

            // Ten restarts of one container at once: the engine serialises them, each succeeds,
            // and the container is left running with one process.
            String one = names.getFirst();
            var restarts = IntStream.range(0, 10)
                    .mapToObj(i -> clients.submit(() -> canald.docker("restart", "-t", "0", one)))
                    .toList();
            for (var restart : restarts) {
                assertEquals(0, restart.get().exitCode(), restart.get().stderr());
            }
            assertEquals("running", canald.succeeds("inspect", "--format", "{{.State.Status}}", one));
            // docker top: a title line and the one sleep, no process of an earlier run left.
            assertEquals(2, canald.succeeds("top", one).lines().count(), canald.succeeds("top", one));

            var removals = names.stream()
                    .map(name -> clients.submit(() -> canald.docker("rm", "-f", name)))
                    .toList();
            for (var removal : removals) {
                assertEquals(0, removal.get().exitCode(), removal.get().stderr());
            }
        }
        assertEquals("", canald.succeeds("ps", "-aq", "--filter", "name=" + prefix));
    }

    private static void awaitLogLine(String name, String line) throws Exception {
        for (int attempt = 0; attempt < 100; attempt++) {
            if (canald.succeeds("logs", name).lines().anyMatch(line::equals)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(name + " never logged " + line + ":\n" + canald.succeeds("logs", name));
    }

    /** rm -f, then nothing of the container is left: no mount names it in canald's namespace, no cgroup, no record. */
    private static void removeLeavingNothing(String name) throws Exception {
        String id = canald.succeeds("inspect", "--format", "{{.Id}}", name);
        assertTrue(canald.mounts().contains(id), "a running container's overlay is mounted");
        assertNotEquals(List.of(), PrivateCanald.cgroupsOf(id));
        canald.succeeds("rm", "-f", name);
        assertFalse(canald.mounts().contains(id), canald.mounts());
        assertEquals(List.of(), PrivateCanald.cgroupsOf(id));
        assertFalse(Files.exists(canald.work().resolve("data/containers/" + id)));
        assertEquals(1, canald.docker("inspect", id).exitCode());
    }
}
