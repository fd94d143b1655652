package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.images.ImageReference;
import dev.canal.images.archive.ImageArchives;
import dev.canal.images.tar.TarWriter;
import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.testing.BusyboxRootfs;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's container lifecycle as root against the real kernel: a busybox image imported at
 * test time, containers created, started, waited for, logged, exec'd into, stopped and removed,
 * and afterwards nothing left: no mount under the data root, no cgroup, no runtime state.
 * The data root and exec root are temporary directories; the JVM runs in a private mount
 * namespace (src/test/bin/java-in-private-mount-namespace).
 */
@RequiresRoot
class EngineTest {

    private static final long WAIT_SECONDS = 60;

    @TempDir
    Path directory;

    private Path dataRoot;
    private Path execRoot;
    private Engine engine;
    private final List<String> cgroups = new ArrayList<>();

    @BeforeEach
    void importBusybox() throws Exception {
        assertFalse(
                Files.readSymbolicLink(Path.of("/proc/self/ns/mnt"))
                        .equals(Files.readSymbolicLink(Path.of(
                                "/proc",
                                Long.toString(ProcessHandle.current()
                                        .parent()
                                        .orElseThrow()
                                        .pid()),
                                "ns/mnt"))),
                "the test JVM runs in its own mount namespace, not maven's");
        dataRoot = directory.resolve("data");
        execRoot = directory.resolve("exec");
        engine = Engine.open(dataRoot, execRoot);
        Path rootfs = BusyboxRootfs.create(directory.resolve("rootfs"));
        Path tar = directory.resolve("busybox.tar");
        assertEquals(
                0,
                new ProcessBuilder("tar", "-C", rootfs.toString(), "-cf", tar.toString(), ".")
                        .start()
                        .waitFor());
        ImageArchives.importRootfs(engine.images(), tar, ImageReference.parse("busybox:test"));
    }

    @AfterEach
    void nothingIsLeftBehind() throws Exception {
        for (ContainerView view : engine.list(true)) {
            engine.remove(view.record().id(), true, true);
        }
        engine.close();
        assertEquals(List.of(), mountsUnder(dataRoot), "mounts under the data root");
        assertEquals(List.of(), engine.runtime().ids(), "runtime state");
        for (String cgroup : cgroups) {
            for (Path controller : CgroupLayout.v1MountPoints().values()) {
                assertFalse(Files.exists(controller.resolve(cgroup.substring(1))), controller + cgroup);
            }
            CgroupLayout.detect()
                    .unifiedMount()
                    .ifPresent(unified -> assertFalse(Files.exists(unified.resolve(cgroup.substring(1))), cgroup));
        }
        assertEquals(List.of(), entries(dataRoot.resolve("containers")), "container directories");
        assertEquals(List.of(), entries(execRoot.resolve("io")), "stdio fifos");
    }

    private static List<String> mountsUnder(Path root) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.split(" ")[4].startsWith(root.toString()))
                .toList();
    }

    private static List<Path> entries(Path directory) throws Exception {
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> list = Files.list(directory)) {
            return list.toList();
        }
    }

    private static ContainerSpec spec(String... cmd) {
        return new ContainerSpec(
                "busybox:test",
                List.of(cmd),
                null,
                null,
                null,
                null,
                null,
                false,
                false,
                false,
                null,
                null,
                null,
                null);
    }

    private static int await(CompletableFuture<Integer> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Collects what a log reader or an exec sends, by stream. */
    private static final class Output implements OutputSink {
        final StringBuilder stdout = new StringBuilder();
        final StringBuilder stderr = new StringBuilder();
        final CompletableFuture<Void> ended = new CompletableFuture<>();

        @Override
        public synchronized void write(String stream, byte[] bytes, int offset, int length) {
            (stream.equals("stderr") ? stderr : stdout)
                    .append(new String(bytes, offset, length, StandardCharsets.UTF_8));
        }

        @Override
        public void end() {
            ended.complete(null);
        }
    }

    private Output logs(String id) throws Exception {
        Output output = new Output();
        LogReader.read(engine, id, new LogReader.Options(true, true, false, null, null, null, false), output);
        return output;
    }

    @Test
    void runsToItsExitStatusAndKeepsItsOutputInTheJsonLog() throws Exception {
        ContainerRecord record = engine.create(spec("sh", "-c", "echo out; echo err >&2; exit 3"), "first");
        assertEquals("created", engine.inspect("first").state().status());
        CompletableFuture<Integer> exit = engine.waitFor("first", "next-exit");
        engine.start("first");
        assertEquals(3, await(exit));

        ContainerView view = engine.inspect(record.id());
        assertEquals("exited", view.state().status());
        assertEquals(3, view.state().exitCode());
        Output logs = logs(record.id());
        assertEquals("out\n", logs.stdout.toString());
        assertEquals("err\n", logs.stderr.toString());
        assertTrue(Files.readString(engine.logPath(record.id())).contains("\"log\":\"out\\n\",\"stream\":\"stdout\""));

        engine.remove("first", false, false);
        assertThrows(NoSuchObjectException.class, () -> engine.inspect("first"));
    }

    @Test
    void execRunsInTheRunningContainerAndStopEscalatesToSigkill() throws Exception {
        ContainerRecord record = engine.create(spec("sleep", "1000"), null);
        engine.start(record.id());
        ContainerView running = engine.inspect(record.id());
        assertTrue(running.state().running());
        assertTrue(running.state().pid() > 0);
        cgroups.add(engine.runtime().load(record.id()).cgroup().path());

        Output root = exec(
                record.id(),
                new ExecSpec(
                        List.of("sh", "-c", "echo in $HOSTNAME; echo $GREETING; id -u; exit 5"),
                        List.of("GREETING=hello"),
                        null,
                        null,
                        false,
                        false,
                        true,
                        true,
                        false,
                        null));
        assertEquals("in " + record.shortId() + "\nhello\n0\n", root.stdout.toString(), root.stderr.toString());

        Output user = exec(
                record.id(),
                new ExecSpec(
                        List.of("sh", "-c", "id -u; pwd"),
                        null,
                        "user",
                        "/tmp",
                        false,
                        false,
                        true,
                        true,
                        false,
                        null));
        assertEquals("1000\n/tmp\n", user.stdout.toString(), user.stderr.toString());

        // sleep is the container's PID 1 and has no SIGTERM handler, so the kernel drops the
        // signal (pid_namespaces(7)); after the 1 s timeout stop sends SIGKILL: 128 + 9.
        CompletableFuture<Integer> exit = engine.waitFor(record.id(), "not-running");
        engine.stop(record.id(), 1);
        assertEquals(137, await(exit));
        assertEquals(137, engine.inspect(record.id()).state().exitCode());
        assertThrows(NotModifiedException.class, () -> engine.stop(record.id(), 1));
        assertThrows(
                ConflictException.class,
                () -> engine.createExec(
                        record.id(),
                        new ExecSpec(List.of("true"), null, null, null, false, false, true, true, false, null)));
        engine.remove(record.id(), false, false);
    }

    private Output exec(String id, ExecSpec spec) throws Exception {
        ExecSession session = engine.createExec(id, spec);
        Output output = new Output();
        engine.startExec(session.id(), output);
        int status = await(session.exit());
        output.ended.get(WAIT_SECONDS, TimeUnit.SECONDS);
        if (spec.cmd().getLast().endsWith("exit 5")) {
            assertEquals(5, status);
        } else {
            assertEquals(0, status, output.stderr.toString());
        }
        return output;
    }

    @Test
    void stopSendsTheStopSignalWhichTheProgramMayHandle() throws Exception {
        ContainerRecord record = engine.create(
                spec("sh", "-c", "trap 'echo bye; exit 0' TERM; echo up; while true; do sleep 0.05; done"), "trap");
        engine.start("trap");
        awaitLog(record.id(), "up\n");
        CompletableFuture<Integer> exit = engine.waitFor("trap", "not-running");
        engine.stop("trap", 30);
        assertEquals(0, await(exit), "the trap ran: no SIGKILL");
        assertEquals("up\nbye\n", logs(record.id()).stdout.toString());
    }

    private void awaitLog(String id, String expected) throws Exception {
        Output output = new Output();
        Thread follower = Thread.ofPlatform().start(() -> {
            try {
                LogReader.read(engine, id, new LogReader.Options(true, true, false, null, null, null, true), output);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!output.stdout.toString().equals(expected) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        follower.interrupt();
        assertEquals(expected, output.stdout.toString(), "a follower sees the line while the container runs");
    }

    @Test
    void aMissingProgramIs127AndANonExecutableOne126AsInDocker() throws Exception {
        engine.create(spec("/no/such/program"), "missing");
        StartFailedException missing = assertThrows(StartFailedException.class, () -> engine.start("missing"));
        assertEquals(127, missing.status());
        assertTrue(missing.getMessage().contains("no such file or directory"), missing.getMessage());
        assertEquals(127, engine.inspect("missing").state().exitCode());

        engine.create(spec("/etc/passwd"), "not-executable");
        StartFailedException denied = assertThrows(StartFailedException.class, () -> engine.start("not-executable"));
        assertEquals(126, denied.status());
        assertTrue(denied.getMessage().contains("permission denied"), denied.getMessage());
        assertEquals(List.of(), mountsUnder(dataRoot), "a failed start unmounts the rootfs");
    }

    @Test
    void autoRemoveRemovesTheContainerWhenItExits() throws Exception {
        ContainerSpec once = spec("true");
        ContainerSpec.HostSettings host = new ContainerSpec.HostSettings(
                null, true, null, null, null, false, null, null, false, null, null, null, null);
        ContainerRecord record = engine.create(once.withHost(host), null);
        CompletableFuture<Integer> removed = engine.waitFor(record.id(), "removed");
        engine.start(record.id());
        assertEquals(0, await(removed));
        assertThrows(NoSuchObjectException.class, () -> engine.inspect(record.id()));
    }

    @Test
    void namesAreUniqueAndARunningContainerIsNotRemovedWithoutForce() throws Exception {
        ContainerRecord record = engine.create(spec("sleep", "1000"), "busy");
        assertThrows(ConflictException.class, () -> engine.create(spec("true"), "busy"));
        engine.start("busy");
        cgroups.add(engine.runtime().load(record.id()).cgroup().path());
        assertThrows(ConflictException.class, () -> engine.remove("busy", false, false));
        engine.remove("busy", true, false);
        assertThrows(NoSuchObjectException.class, () -> engine.inspect("busy"));
        engine.create(spec("true"), "busy");
    }

    @Test
    void aNamedVolumeOutlivesItsContainer() throws Exception {
        ContainerSpec.HostSettings host = ContainerSpec.HostSettings.DEFAULTS.withBinds(List.of("keep:/keep"));
        ContainerRecord writer =
                engine.create(spec("sh", "-c", "echo kept > /keep/file").withHost(host), null);
        CompletableFuture<Integer> exit = engine.waitFor(writer.id(), "next-exit");
        engine.start(writer.id());
        assertEquals(0, await(exit));
        engine.remove(writer.id(), false, true);
        Path data = engine.volumes().inspect("keep").orElseThrow().mountpoint();
        assertEquals("kept\n", Files.readString(data.resolve("file")), "rm -v keeps named volumes");
        assertEquals(Map.of(), engine.volumes().inspect("keep").orElseThrow().labels());
    }

    @Test
    void onFailureRestartsUpToItsCountThenStaysExited() throws Exception {
        ContainerSpec.HostSettings host = new ContainerSpec.HostSettings(
                null,
                false,
                RestartPolicy.parse("on-failure:2"),
                null,
                null,
                false,
                null,
                null,
                false,
                null,
                null,
                null,
                null);
        ContainerRecord record =
                engine.create(spec("sh", "-c", "echo run; exit 1").withHost(host), null);
        engine.start(record.id());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        ContainerView view = engine.inspect(record.id());
        while ((view.state().running() || view.record().restartCount() < 2) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            view = engine.inspect(record.id());
        }
        assertEquals("exited", view.state().status());
        assertEquals(2, view.record().restartCount(), "the first run and two restarts");
        assertEquals(1, view.state().exitCode());
        assertEquals("run\nrun\nrun\n", logs(record.id()).stdout.toString(), "a restart appends to the same log");
    }

    @Test
    void theDefaultDevicesAreThere() throws Exception {
        ContainerRecord record = engine.create(
                spec("sh", "-c", "echo x > /dev/null && head -c 4 /dev/urandom | wc -c && head -c 2 /dev/zero | wc -c"),
                null);
        CompletableFuture<Integer> exit = engine.waitFor(record.id(), "next-exit");
        engine.start(record.id());
        Output logs;
        assertEquals(0, await(exit), (logs = logs(record.id())).stderr.toString());
        assertEquals("4\n2\n", logs.stdout.toString().replace(" ", ""));
    }

    @Test
    void copiesIntoAStoppedContainerAndOutOfARunningOne() throws Exception {
        ContainerRecord record =
                engine.create(spec("sh", "-c", "cat /tmp/in/file; echo made > /tmp/out; sleep 1000"), null);
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        TarWriter writer = new TarWriter(tar);
        byte[] data = "copied in\n".getBytes(StandardCharsets.UTF_8);
        writer.add("in/", TarWriter.DIRECTORY, 0755, 0, 0, 0, 0, null, null);
        writer.add(
                "in/file", TarWriter.REGULAR, 0644, 0, 0, data.length, 0, null, new java.io.ByteArrayInputStream(data));
        writer.finish();
        engine.withRoot(record.id(), root -> {
            ContainerArchive.extract(root, "/tmp", new java.io.ByteArrayInputStream(tar.toByteArray()));
            return null;
        });

        engine.start(record.id());
        cgroups.add(engine.runtime().load(record.id()).cgroup().path());
        awaitLog(record.id(), "copied in\n");
        String out = engine.withRoot(record.id(), root -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            while (System.nanoTime() < deadline) {
                try {
                    return ContainerArchive.stat(root, "/tmp/out").name();
                } catch (NoSuchObjectException notYet) {
                    Thread.onSpinWait();
                }
            }
            return "missing";
        });
        assertEquals("out", out);

        CompletableFuture<Integer> exit = engine.waitFor(record.id(), "not-running");
        engine.stop(record.id(), 0);
        await(exit);
        assertEquals(List.of(), mountsUnder(dataRoot), "an exited container's layers are unmounted");
        long size = engine.withRoot(
                record.id(), root -> ContainerArchive.stat(root, "/tmp/out").size());
        assertEquals(5, size, "a stopped container's files are copied from its layers, mounted for the copy");
        assertEquals(List.of(), mountsUnder(dataRoot), "and unmounted again");
        engine.remove(record.id(), false, false);
    }

    @Test
    void aPausedContainerTakesNoExecAndStopsAfterAThaw() throws Exception {
        ContainerRecord record = engine.create(spec("sleep", "1000"), null);
        engine.start(record.id());
        cgroups.add(engine.runtime().load(record.id()).cgroup().path());
        engine.pause(record.id());
        assertEquals("paused", engine.inspect(record.id()).state().status());
        assertThrows(ConflictException.class, () -> engine.pause(record.id()));
        assertThrows(
                ConflictException.class,
                () -> engine.createExec(
                        record.id(),
                        new ExecSpec(List.of("true"), null, null, null, false, false, true, true, false, null)));
        engine.unpause(record.id());
        assertEquals("running", engine.inspect(record.id()).state().status());
        engine.pause(record.id());
        CompletableFuture<Integer> exit = engine.waitFor(record.id(), "not-running");
        engine.stop(record.id(), 0);
        assertEquals(137, await(exit), "stop thaws the container so that SIGKILL ends it");
    }

    @Test
    void logsFollowARunningContainerAcrossRotations() throws Exception {
        ContainerSpec.HostSettings host = new ContainerSpec.HostSettings(
                null,
                false,
                null,
                null,
                null,
                false,
                null,
                null,
                false,
                null,
                Map.of("max-size", "1k", "max-file", "100"),
                null,
                null);
        ContainerRecord record = engine.create(
                spec("sh", "-c", "i=0; while [ $i -lt 300 ]; do echo line $i; i=$((i+1)); done")
                        .withHost(host),
                null);
        engine.start(record.id());
        Output followed = new Output();
        LogReader.read(engine, record.id(), new LogReader.Options(true, true, false, null, null, null, true), followed);
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 300; i++) {
            expected.append("line ").append(i).append('\n');
        }
        assertEquals(expected.toString(), followed.stdout.toString());
        assertTrue(LogFile.generations(engine.logPath(record.id())).size() > 10, "the log rotated many times");
    }
}
