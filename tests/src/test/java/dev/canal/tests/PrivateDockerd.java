package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.canal.runtime.cgroup.Cgroup;
import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.cgroup.CgroupPath;
import dev.canal.runtime.cgroup.Cgroups;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A dockerd of the test's own, with canal-oci added as the runtime "canal", that shares nothing
 * with a docker the machine may run. Everything it writes is under one temporary directory:
 * {@code --data-root}, {@code --exec-root} (with the containerd it starts and containerd's
 * state), its pid file and API socket, and TMPDIR (where containerd's shim puts exec process
 * files and terminal sockets). Its containers' cgroups are under a cgroup parent with a random
 * name.
 *
 * <p>Some paths are fixed in dockerd 20.10 and containerd 1.6: dockerd uses a containerd already
 * listening on /run/containerd/containerd.sock instead of starting its own, writes
 * /etc/docker/key.json, /run/docker/plugins, and the shim's sockets go to /run/containerd/s. So
 * dockerd runs in a mount namespace of its own (unshare(1), mount_namespaces(7)) with a fresh
 * tmpfs on /run and a directory of the test's bound on /etc/docker. That namespace also holds
 * every mount dockerd makes (the image layers' overlays): they vanish with its last process.
 *
 * <p>{@link #close()} stops dockerd by its pid (SIGTERM: dockerd stops its containers and its
 * containerd), kills by pid whatever is left that names the directory on its command line (a
 * containerd, a shim, a canal-oci), kills what is left in the containers' cgroups, removes the
 * cgroups and the directory.
 */
final class PrivateDockerd implements AutoCloseable {

    /** What one docker command may take on a loaded two-core machine: canal-oci starts a JVM per call. */
    private static final int COMMAND_SECONDS = 180;

    private final Path work;
    private final String cgroupParent;
    private final Process dockerd;
    private final Map<String, String> clientEnvironment;

    private PrivateDockerd(Path work, String cgroupParent, Process dockerd) {
        this.work = work;
        this.cgroupParent = cgroupParent;
        this.dockerd = dockerd;
        this.clientEnvironment = Map.of(
                "DOCKER_HOST",
                "unix://" + work.resolve("docker.sock"),
                "DOCKER_CONFIG",
                work.resolve("client").toString());
    }

    /** The command line that starts dockerd in its own mount namespace, all of its state under {@code work}. */
    static List<String> commandLine(Path work, String cgroupParent) {
        var command = new ArrayList<>(List.of(
                "unshare",
                "--mount",
                "--propagation",
                "private",
                "--",
                "sh",
                "-c",
                "mount -t tmpfs -o mode=0755 canal-docker /run && mount --bind \"$0\" /etc/docker && exec \"$@\"",
                work.resolve("etc-docker").toString()));
        command.addAll(List.of(
                "dockerd",
                "--data-root",
                work.resolve("data").toString(),
                "--exec-root",
                work.resolve("exec").toString(),
                "--pidfile",
                work.resolve("dockerd.pid").toString(),
                "-H",
                "unix://" + work.resolve("docker.sock"),
                // No network of docker's making: no bridge, no iptables rules, no sysctl changes.
                "--bridge=none",
                "--iptables=false",
                "--ip6tables=false",
                "--ip-forward=false",
                "--ip-masq=false",
                "--exec-opt",
                "native.cgroupdriver=cgroupfs",
                "--cgroup-parent",
                cgroupParent,
                "--add-runtime",
                "canal=" + CanalHome.ROOT.resolve("bin/canal-oci")));
        return command;
    }

    /** Starts dockerd and waits until it answers on its socket. */
    static PrivateDockerd start() throws Exception {
        for (String program : List.of("dockerd", "docker", "containerd", "containerd-shim-runc-v2", "unshare")) {
            assertTrue(
                    onPath(program),
                    program + " is missing: apt-get install docker.io (it brings containerd and runc)");
        }
        assertTrue(Files.isDirectory(Path.of("/etc/docker")), "/etc/docker is missing: apt-get install docker.io");
        Path work = Files.createTempDirectory("canal-docker");
        String cgroupParent = "/canal-docker-" + UUID.randomUUID().toString().substring(0, 8);
        for (String directory : List.of("etc-docker", "client", "tmp")) {
            Files.createDirectories(work.resolve(directory));
        }
        var builder = new ProcessBuilder(commandLine(work, cgroupParent))
                .redirectErrorStream(true)
                .redirectOutput(work.resolve("dockerd.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().put("TMPDIR", work.resolve("tmp").toString());
        var daemon = new PrivateDockerd(work, cgroupParent, builder.start());
        try {
            daemon.awaitAnswer();
            return daemon;
        } catch (Throwable e) {
            daemon.close();
            throw e;
        }
    }

    private void awaitAnswer() throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(COMMAND_SECONDS);
        while (true) {
            if (!dockerd.isAlive()) {
                fail("dockerd exited with " + dockerd.exitValue() + ":\n" + logTail());
            }
            if (docker("version", "--format", "{{.Server.Version}}").exitCode() == 0) {
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                fail("dockerd did not answer within " + COMMAND_SECONDS + " s:\n" + logTail());
            }
            Thread.sleep(250);
        }
    }

    /** The directory all of dockerd's state lives in. */
    Path work() {
        return work;
    }

    /** `docker ARGS...` against this dockerd, with a client configuration of its own. */
    CanalHome.Result docker(String... args) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("docker"));
        command.addAll(List.of(args));
        return CanalHome.run(command, clientEnvironment, COMMAND_SECONDS);
    }

    /** The last lines of dockerd's log (containerd's and the shims' included), for failure messages. */
    String logTail() throws IOException {
        List<String> lines = Files.readAllLines(work.resolve("dockerd.log"), StandardCharsets.UTF_8);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws Exception {
        try {
            dockerd.destroy();
            if (!dockerd.waitFor(COMMAND_SECONDS, TimeUnit.SECONDS)) {
                dockerd.destroyForcibly().waitFor();
            }
            killProcessesNaming(work);
            removeCgroups();
        } finally {
            try (Stream<Path> walk = Files.walk(work)) {
                walk.sorted(Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
        assertEquals(List.of(), HostProcesses.naming(work), "processes of this dockerd are left");
        assertTrue(Files.notExists(work), work + " is left");
    }

    /** Kills what dockerd started and left running: every process with {@code directory} in its arguments. */
    private static void killProcessesNaming(Path directory) throws InterruptedException {
        for (ProcessHandle process : HostProcesses.naming(directory)) {
            process.destroyForcibly();
            process.onExit().join();
        }
    }

    /** Kills any process left in a container's cgroup below the parent, then removes the parent and its children. */
    private void removeCgroups() throws IOException {
        CgroupLayout layout = CgroupLayout.detect();
        Path parent = CgroupPath.in(
                layout.limitsOnV2()
                        ? layout.unified()
                        : layout.v1Mounts().values().iterator().next(),
                cgroupParent);
        if (!Files.isDirectory(parent)) {
            return;
        }
        try (Stream<Path> children = Files.list(parent)) {
            for (Path child : children.filter(Files::isDirectory).toList()) {
                Cgroup container = Cgroups.open(layout, cgroupParent + "/" + child.getFileName());
                container.killAll(9);
            }
        }
        Cgroups.open(layout, cgroupParent).destroy();
    }

    private static boolean onPath(String program) {
        return Stream.of(System.getenv("PATH").split(File.pathSeparator))
                .anyMatch(directory -> Files.isExecutable(Path.of(directory, program)));
    }
}
