package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.cgroup.CgroupPath;
import dev.canal.runtime.cgroup.Cgroups;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A bin/canald of the test's own, driven by the real docker CLI. Its socket, {@code --data-root}
 * and {@code --exec-root} are under one temporary directory, and it runs in a mount namespace of
 * its own ({@code unshare --mount --propagation private}, mount_namespaces(7)): the overlays of
 * its containers never reach the test's namespace, and vanish with canald's last process.
 * unshare(1) without {@code --fork} execs canald, so the process the test holds is canald itself
 * and a SIGTERM or SIGKILL to it reaches the daemon, as {@code systemctl stop} or a crash would.
 *
 * <p>{@link #close()} stops the daemon (SIGTERM: it stops its containers), kills whatever is left
 * in the cgroups of the containers it made, and removes the directory.
 */
final class PrivateCanald implements AutoCloseable {

    private static final CgroupLayout CGROUPS = CgroupLayout.detect();

    private final Path work;
    private final Map<String, String> clientEnvironment;
    private Process canald;

    private PrivateCanald(Path work) {
        this.work = work;
        this.clientEnvironment = Map.of(
                "DOCKER_HOST",
                "unix://" + work.resolve("canald.sock"),
                "DOCKER_CONFIG",
                work.resolve("client").toString());
    }

    /** Starts canald on a fresh directory, imports a busybox root filesystem as {@code image}, and returns it answering. */
    static PrivateCanald startWithImage(String image) throws Exception {
        assertTrue(
                Files.isExecutable(CanaldLauncher.DOCKER),
                CanaldLauncher.DOCKER + " is missing: the docker CLI 28 this test drives");
        var daemon = new PrivateCanald(Files.createTempDirectory("canal-canald"));
        try {
            Files.createDirectories(daemon.work.resolve("client"));
            daemon.start();
            var imported =
                    daemon.docker("import", BusyboxTar.create(daemon.work).toString(), image);
            assertEquals(0, imported.exitCode(), imported.stderr());
            return daemon;
        } catch (Throwable e) {
            daemon.close();
            throw e;
        }
    }

    /** Starts canald on this directory, as after a reboot or a crash: it finds the state the last one left. */
    void start() throws Exception {
        canald = CanaldLauncher.start(
                List.of("unshare", "--mount", "--propagation", "private", "--"),
                work,
                clientEnvironment,
                // No default bridge: canald would make canal0 and its rules in the machine's
                // network namespace. Containers get --network none unless they ask for host.
                List.of("--bridge", "none"));
    }

    /** `docker ARGS...` against this canald, with a client configuration of its own. */
    CanalHome.Result docker(String... args) throws IOException, InterruptedException {
        return CanaldLauncher.docker(clientEnvironment, args);
    }

    /** DOCKER_HOST and DOCKER_CONFIG for a docker CLI of this canald's. */
    Map<String, String> clientEnvironment() {
        return clientEnvironment;
    }

    /** `docker ARGS...` that must succeed: its standard output, stripped. */
    String succeeds(String... args) throws IOException, InterruptedException {
        var result = docker(args);
        assertEquals(0, result.exitCode(), String.join(" ", args) + ":\n" + result.stderr());
        return result.stdout().strip();
    }

    /** The directory all of this canald's state lives in. */
    Path work() {
        return work;
    }

    /** canald's process, to signal it. */
    Process process() {
        return canald;
    }

    /** The mounts of canald's private namespace, one /proc/PID/mountinfo line each (proc(5)). */
    String mounts() throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(canald.pid()), "mountinfo"));
    }

    /** The cgroup directories of container {@code id} that exist, in every hierarchy (the engine puts it at /canal/ID). */
    static List<Path> cgroupsOf(String id) {
        return hierarchies().stream()
                .map(mount -> CgroupPath.in(mount, CgroupPath.DEFAULT_PARENT + "/" + id))
                .filter(Files::isDirectory)
                .toList();
    }

    private static List<Path> hierarchies() {
        var mounts = new ArrayList<Path>(CGROUPS.v1Mounts().values());
        CGROUPS.unifiedMount().ifPresent(mounts::add);
        return mounts.stream().distinct().toList();
    }

    /** canald's output, for failure messages. */
    String log() throws IOException {
        return CanaldLauncher.log(work);
    }

    @Override
    public void close() throws Exception {
        try {
            if (canald != null && canald.isAlive()) {
                canald.destroy();
                if (!canald.waitFor(CanaldLauncher.COMMAND_SECONDS, TimeUnit.SECONDS)) {
                    canald.destroyForcibly().waitFor();
                }
            }
            removeContainerCgroups();
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        assertTrue(Files.notExists(work), work + " is left");
    }

    /** Kills what is left in the cgroup of every container this canald recorded, and removes the cgroup. */
    private void removeContainerCgroups() throws IOException {
        Path containers = work.resolve("data/containers");
        if (!Files.isDirectory(containers)) {
            return;
        }
        try (Stream<Path> records = Files.list(containers)) {
            for (Path record : records.toList()) {
                String id = record.getFileName().toString();
                if (!cgroupsOf(id).isEmpty()) {
                    var cgroup = Cgroups.open(CGROUPS, CgroupPath.DEFAULT_PARENT + "/" + id);
                    cgroup.killAll(9);
                    cgroup.destroy();
                }
            }
        }
    }
}
