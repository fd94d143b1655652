package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.cgroup.CgroupPath;
import dev.canal.runtime.cgroup.Cgroups;
import dev.canal.runtime.net.NetworkNamespace;
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
 * A bin/canald of the test's own inside a network namespace and a mount namespace of the
 * test's own, driven by the real docker CLI. A holder process ({@code unshare --net --mount
 * --propagation private sleep 3600}) makes both namespaces and keeps them while canald stops and
 * starts again; canald joins them with nsenter(1). Its bridges, veths, addresses and nf_tables
 * rules exist only in that namespace, and go with it when the holder is killed: nothing of the
 * machine's network namespace is touched. Commands that send traffic ({@link #inside}) run in
 * the namespace too, to 127.0.0.1 or to addresses that exist only there.
 */
final class NetworkedCanald implements AutoCloseable {

    private static final CgroupLayout CGROUPS = CgroupLayout.detect();

    private final Path work;
    private final Map<String, String> clientEnvironment;
    private final Process holder;
    private Process canald;

    private NetworkedCanald(Path work, Process holder) {
        this.work = work;
        this.holder = holder;
        this.clientEnvironment = Map.of(
                "DOCKER_HOST",
                "unix://" + work.resolve("canald.sock"),
                "DOCKER_CONFIG",
                work.resolve("client").toString());
    }

    /** Makes the namespaces, starts canald with {@code options} in them, and imports busybox as {@code image}. */
    static NetworkedCanald startWithImage(String image, String... options) throws Exception {
        assertTrue(
                Files.isExecutable(CanaldLauncher.DOCKER),
                CanaldLauncher.DOCKER + " is missing: the docker CLI this test drives");
        Path work = Files.createTempDirectory("canal-netd");
        Files.createDirectories(work.resolve("client"));
        Process holder = new ProcessBuilder(
                        "unshare",
                        "--net",
                        "--mount",
                        "--propagation",
                        "private",
                        "--",
                        "sh",
                        "-c",
                        "ip link set lo up && echo ready && exec sleep 3600")
                .redirectErrorStream(true)
                .start();
        var daemon = new NetworkedCanald(work, holder);
        try {
            assertEquals("ready", new String(holder.getInputStream().readNBytes(6)).strip());
            assertNotEquals(
                    Files.readSymbolicLink(Path.of("/proc/self/ns/net")),
                    Files.readSymbolicLink(Path.of("/proc", Long.toString(holder.pid()), "ns/net")),
                    "the holder must be in a network namespace of its own");
            daemon.start(options);
            var imported = daemon.docker("import", BusyboxTar.create(work).toString(), image);
            assertEquals(0, imported.exitCode(), imported.stderr());
            return daemon;
        } catch (Throwable e) {
            daemon.close();
            throw e;
        }
    }

    /** Starts canald in the namespaces on this directory: after {@link #stop()}, it finds what the last one left. */
    void start(String... options) throws Exception {
        canald = CanaldLauncher.start(nsenter(), work, clientEnvironment, List.of(options));
    }

    /** Stops canald with SIGTERM, as systemctl stop does, and waits for it. */
    void stop() throws InterruptedException {
        canald.destroy();
        if (!canald.waitFor(CanaldLauncher.COMMAND_SECONDS, TimeUnit.SECONDS)) {
            canald.destroyForcibly().waitFor();
        }
    }

    /** Kills canald with SIGKILL, as a crash would: it releases nothing. */
    void crash() throws InterruptedException {
        canald.destroyForcibly().waitFor();
    }

    /** `docker ARGS...` against this canald. */
    CanalHome.Result docker(String... args) throws IOException, InterruptedException {
        return CanaldLauncher.docker(clientEnvironment, args);
    }

    /** `docker ARGS...` that must succeed: its standard output, stripped. */
    String succeeds(String... args) throws IOException, InterruptedException {
        var result = docker(args);
        assertEquals(0, result.exitCode(), String.join(" ", args) + ":\n" + result.stderr() + "\n" + log());
        return result.stdout().strip();
    }

    /** {@code command} run in canald's network namespace (ip, nft, busybox wget to 127.0.0.1). */
    CanalHome.Result inside(String... command) throws IOException, InterruptedException {
        var line = new ArrayList<>(nsenter());
        line.addAll(List.of(command));
        return CanalHome.run(line, Map.of(), CanaldLauncher.COMMAND_SECONDS);
    }

    /** canald's API socket. */
    Path socket() {
        return work.resolve("canald.sock");
    }

    /** canald's network namespace, for sockets a test opens in it (a name server standing for the host's). */
    NetworkNamespace networkNamespace() {
        return NetworkNamespace.ofPid(holder.pid());
    }

    /** The interfaces of canald's namespace, {@code ip -o link} lines. */
    String links() throws IOException, InterruptedException {
        return inside("ip", "-o", "link").stdout();
    }

    /** Canal's nf_tables table in canald's namespace, as nft lists it. */
    String rules() throws IOException, InterruptedException {
        return inside("nft", "list", "table", "inet", "canal").stdout();
    }

    private List<String> nsenter() {
        String pid = Long.toString(holder.pid());
        return List.of("nsenter", "--target", pid, "--net", "--mount", "--");
    }

    /** canald's last lines, for failure messages. */
    String log() throws IOException {
        return CanaldLauncher.log(work);
    }

    /**
     * Stops canald (its containers with it), kills what is left in the cgroups of the containers
     * it recorded, ends the holder (the namespace, with every bridge and rule in it, goes), and
     * removes the directory.
     */
    @Override
    public void close() throws Exception {
        try {
            if (canald != null && canald.isAlive()) {
                stop();
            }
            removeContainerCgroups();
        } finally {
            holder.destroyForcibly().waitFor();
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        assertTrue(Files.notExists(work), work + " is left");
    }

    private void removeContainerCgroups() throws IOException {
        Path containers = work.resolve("data/containers");
        if (!Files.isDirectory(containers)) {
            return;
        }
        var hierarchies = new ArrayList<Path>(CGROUPS.v1Mounts().values());
        CGROUPS.unifiedMount().ifPresent(hierarchies::add);
        try (Stream<Path> records = Files.list(containers)) {
            for (Path record : records.toList()) {
                String cgroup = CgroupPath.DEFAULT_PARENT + "/" + record.getFileName();
                if (hierarchies.stream().distinct().anyMatch(h -> Files.isDirectory(CgroupPath.in(h, cgroup)))) {
                    var group = Cgroups.open(CGROUPS, cgroup);
                    group.killAll(9);
                    group.destroy();
                }
            }
        }
    }
}
