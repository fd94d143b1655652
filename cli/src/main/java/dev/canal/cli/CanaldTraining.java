package dev.canal.cli;

import dev.canal.images.tar.TarWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;

/**
 * The training run of canald's AOT cache (JEP 483 and 515), which bin/canald maps when it is there
 * (cli/target/canald-JDKVERSION.aot, cli/pom.xml's aot-cache-canald). It is bin/canald itself,
 * with its own JVM options and {@code -XX:AOTCacheOutput} added through {@code JDK_JAVA_OPTIONS},
 * which the java launcher reads (java(1)), in a mount namespace of its own
 * ({@code unshare --mount --propagation private}), on a socket, data root and exec root under a
 * temporary directory and without a default bridge. This JVM drives it over its socket as the
 * docker CLI does: it imports a busybox root filesystem, then runs {@value #CONTAINERS} times what
 * {@code docker run --rm busybox true} asks (create, attach, wait for the removal, start), and
 * lists and inspects; then it stops canald with SIGTERM, and on its exit the JVM writes the
 * classes it loaded and linked, the call sites it linked and the profiles of the methods it ran.
 *
 * <p>The containers need /bin/busybox and {@code -Dcanal.aot.containers} not false; without them
 * canald is trained on its start and the requests that need no container. canald needs root: not
 * root, nothing is trained, and bin/canald starts without a cache. Arguments: the source tree
 * and the cache to write.
 */
public final class CanaldTraining {

    /** Containers run: enough for C2 to see the request path hot (docs/daemon.md, section 6). */
    static final int CONTAINERS = 40;

    private static final PrintStream REPORT = System.err;
    private static final long SECONDS = 120;

    private CanaldTraining() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]).toAbsolutePath().normalize();
        Path cache = Path.of(args[1]).toAbsolutePath();
        Files.deleteIfExists(cache);
        if ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid") != 0) {
            REPORT.println("AOT training: canald's cache skipped: not root");
            return;
        }
        if (!Files.isRegularFile(home.resolve("daemon/target/canald.jar"))) {
            REPORT.println("AOT training: canald's cache skipped: daemon/target/canald.jar is not built");
            return;
        }
        Path work = Files.createTempDirectory("canald-aot-training");
        try {
            train(home, cache, work);
        } catch (Exception | AssertionError e) {
            // As the other trainings: a step that fails is reported, and the cache holds what ran.
            REPORT.println("AOT training: canald's training failed: " + e);
        } finally {
            deleteTree(work);
        }
        if (!Files.isRegularFile(cache)) {
            REPORT.println("AOT training: canald wrote no cache: see " + log(cache));
        }
    }

    private static void train(Path home, Path cache, Path work) throws Exception {
        Path socket = work.resolve("canald.sock");
        Path log = log(cache);
        var command = new ProcessBuilder(
                        "unshare",
                        "--mount",
                        "--propagation",
                        "private",
                        "--",
                        home.resolve("bin/canald").toString(),
                        "-H",
                        "unix://" + socket,
                        "--data-root",
                        work.resolve("data").toString(),
                        "--exec-root",
                        work.resolve("exec").toString(),
                        "--bridge",
                        "none")
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        // This JDK, whose exact version the cache is for; unshare without --fork execs bin/canald,
        // which execs java, so the process is canald's JVM.
        command.environment().put("JAVA_HOME", System.getProperty("java.home"));
        command.environment().put("JDK_JAVA_OPTIONS", "-XX:AOTCacheOutput=" + cache);
        Process canald = command.start();
        try {
            var client = new TrainingApiClient(socket);
            awaitAnswer(client, socket, canald);
            requests(client);
            Optional<String> whyNot = TrainingBundle.whyNot();
            if (whyNot.isPresent()) {
                REPORT.println("AOT training: canald's containers skipped: " + whyNot.get());
            } else {
                containers(client);
            }
        } finally {
            canald.destroy();
            if (!canald.waitFor(SECONDS, TimeUnit.SECONDS)) {
                canald.destroyForcibly().waitFor();
                REPORT.println("AOT training: canald did not stop on SIGTERM within " + SECONDS + " s");
            }
        }
        if (canald.exitValue() != 0) {
            REPORT.println("AOT training: canald exited with " + canald.exitValue() + ": see " + log);
        }
    }

    /** canald's own output during its training, beside the cache. */
    private static Path log(Path cache) {
        return cache.resolveSibling("aot-training-canald-daemon.log");
    }

    /** Until {@code _ping} answers; fails if canald exits first or stays silent. */
    private static void awaitAnswer(TrainingApiClient client, Path socket, Process canald) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SECONDS);
        while (true) {
            if (Files.exists(socket)) {
                try {
                    if (client.begin("GET", "/_ping", null, new byte[0]).body().equals("OK")) {
                        return;
                    }
                } catch (IOException notYet) {
                    // The socket is bound before Jetty accepts on it.
                }
            }
            if (!canald.isAlive() || System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("AOT training: canald did not answer on " + socket);
            }
            Thread.sleep(50);
        }
    }

    /** What the docker CLI asks before and besides a run: version, info, the lists. */
    private static void requests(TrainingApiClient client) throws IOException {
        for (String path : List.of("/version", "/info", "/containers/json?all=1", "/images/json", "/volumes")) {
            expect(client.begin("GET", path, null, new byte[0]), 200, "GET " + path);
        }
    }

    /** The image, then {@value #CONTAINERS} runs, then a listing, an inspect and a removal of the image. */
    private static void containers(TrainingApiClient client) throws IOException {
        expect(
                client.begin(
                        "POST", "/images/create?fromSrc=-&repo=busybox&tag=latest", "application/x-tar", busyboxTar()),
                200,
                "docker import");
        byte[] create;
        try (InputStream in = CanaldTraining.class.getResourceAsStream("canald-training-create.json")) {
            create = in.readAllBytes();
        }
        var json = JsonMapper.builder().build();
        byte[] none = new byte[0];
        for (int i = 0; i < CONTAINERS; i++) {
            String id = json.readTree(expect(
                            client.begin("POST", "/containers/create", "application/json", create),
                            201,
                            "docker run's create"))
                    .path("Id")
                    .asString();
            // As the CLI, before the start: the output's stream and the wait for the removal, each
            // answered with its head at once and the rest when the container has gone.
            try (var attached = client.attach(id);
                    var removed = client.begin("POST", "/containers/" + id + "/wait?condition=removed", null, none)) {
                if (attached.status() != 101 || removed.status() != 200) {
                    throw new IllegalStateException(
                            "AOT training: attach answered " + attached.status() + ", wait " + removed.status());
                }
                expect(client.begin("POST", "/containers/" + id + "/start", null, none), 204, "docker run's start");
                attached.body();
                String waited = removed.body();
                if (!waited.contains("\"StatusCode\":0")) {
                    throw new IllegalStateException("AOT training: the container ended with " + waited);
                }
            }
        }
        expect(client.begin("GET", "/containers/json?all=1", null, none), 200, "docker ps");
        expect(client.begin("GET", "/images/busybox/json", null, none), 200, "docker image inspect");
        expect(client.begin("DELETE", "/images/busybox", null, none), 200, "docker rmi");
    }

    /** The body of {@code response}, which must have {@code status}. */
    private static String expect(TrainingApiClient.Pending response, int status, String what) throws IOException {
        String body = response.body();
        if (response.status() != status) {
            throw new IllegalStateException(
                    "AOT training: canald answered " + what + " with " + response.status() + ": " + body);
        }
        return body;
    }

    /** The static busybox and the few entries a run needs, as a tar: docker import's body. */
    private static byte[] busyboxTar() throws IOException {
        var bytes = new ByteArrayOutputStream();
        var tar = new TarWriter(bytes);
        long now = System.currentTimeMillis() / 1000;
        for (String directory : List.of("bin/", "dev/", "etc/", "proc/", "sys/", "tmp/")) {
            tar.add(directory, TarWriter.DIRECTORY, 0755, 0, 0, 0, now, null, null);
        }
        long size = Files.size(TrainingBundle.BUSYBOX);
        try (InputStream busybox = Files.newInputStream(TrainingBundle.BUSYBOX)) {
            tar.add("bin/busybox", TarWriter.REGULAR, 0755, 0, 0, size, now, null, busybox);
        }
        tar.add("bin/true", TarWriter.SYMLINK, 0777, 0, 0, 0, now, "busybox", null);
        byte[] passwd = "root:x:0:0:root:/root:/bin/sh\n".getBytes(StandardCharsets.UTF_8);
        tar.add(
                "etc/passwd",
                TarWriter.REGULAR,
                0644,
                0,
                0,
                passwd.length,
                now,
                null,
                new ByteArrayInputStream(passwd));
        tar.finish();
        return bytes.toByteArray();
    }

    private static void deleteTree(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }
}
