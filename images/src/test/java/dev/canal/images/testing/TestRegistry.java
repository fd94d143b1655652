package dev.canal.images.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Debian's docker-registry (distribution 2.8) as a child process on 127.0.0.1, with its own
 * configuration and storage under a temporary directory. Several registries may share one
 * storage directory: an open one to push to, and one that asks for credentials to pull from.
 * {@link #close()} stops it by its pid.
 */
public final class TestRegistry implements AutoCloseable {

    public static final Path BINARY = Path.of("/usr/bin/docker-registry");

    private final Process process;
    private final String host;
    private final int port;
    private final Path log;

    private TestRegistry(Process process, String host, int port, Path log) {
        this.process = process;
        this.host = host;
        this.port = port;
        this.log = log;
    }

    /** A registry without authentication on 127.0.0.1. */
    public static TestRegistry open(Path directory, Path storage) throws IOException, InterruptedException {
        return start(directory, storage, "127.0.0.1", "");
    }

    /**
     * A registry without authentication on another loopback address, {@code 127.0.0.2}, which
     * clients treat as any remote host: https unless told it is insecure.
     */
    public static TestRegistry openOnOtherLoopbackAddress(Path directory, Path storage)
            throws IOException, InterruptedException {
        return start(directory, storage, "127.0.0.2", "");
    }

    /** A registry that asks for HTTP Basic credentials checked against an htpasswd file (bcrypt only). */
    public static TestRegistry withHtpasswd(Path directory, Path storage, String htpasswdLine)
            throws IOException, InterruptedException {
        Path htpasswd = Files.writeString(directory.resolve("htpasswd"), htpasswdLine + "\n");
        return start(directory, storage, "127.0.0.1", """
                auth:
                  htpasswd:
                    realm: canal-test
                    path: %s
                """.formatted(htpasswd));
    }

    /**
     * A registry that asks for {@code user} and {@code password}, written to its htpasswd file by
     * apache2-utils' {@code htpasswd -nbB} (bcrypt, the only hash the registry takes).
     */
    public static TestRegistry withHtpasswd(Path directory, Path storage, String user, String password)
            throws IOException, InterruptedException {
        Process htpasswd = new ProcessBuilder("htpasswd", "-nbB", user, password)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        String line = new String(htpasswd.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (htpasswd.waitFor() != 0) {
            throw new IllegalStateException("htpasswd -nbB failed");
        }
        return withHtpasswd(directory, storage, line);
    }

    /** A registry that wants Bearer tokens from {@code tokens}, which it checks against that server's certificate. */
    public static TestRegistry withTokens(Path directory, Path storage, TestTokenServer tokens)
            throws IOException, InterruptedException {
        return start(directory, storage, "127.0.0.1", """
                auth:
                  token:
                    realm: %s
                    service: %s
                    issuer: %s
                    rootcertbundle: %s
                """.formatted(
                        tokens.realm(), TestTokenServer.SERVICE, TestTokenServer.ISSUER, tokens.certificate()));
    }

    private static TestRegistry start(Path directory, Path storage, String host, String auth)
            throws IOException, InterruptedException {
        int port = freePort(host);
        Path config = Files.writeString(
                directory.resolve("config-" + port + ".yml"), """
                version: 0.1
                log:
                  level: warn
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                http:
                  addr: %s:%d
                %s""".formatted(storage, host, port, auth));
        Path log = directory.resolve("registry-" + port + ".log");
        Process process = new ProcessBuilder(BINARY.toString(), "serve", config.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        var registry = new TestRegistry(process, host, port, log);
        registry.awaitListening();
        return registry;
    }

    /** {@code 127.0.0.1:PORT}, as image names give the registry. */
    public String address() {
        return host + ":" + port;
    }

    /**
     * What the registry logged so far: its access log has one line per request, {@code "POST
     * /v2/bb/blobs/uploads/?mount=...&from=... HTTP/1.1" 201}, which shows what a client asked.
     */
    public String log() throws IOException {
        return Files.readString(log);
    }

    private void awaitListening() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("docker-registry exited: " + Files.readString(log));
            }
            try (var socket = new Socket()) {
                socket.connect(new InetSocketAddress(host, port), 200);
                return;
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        close();
        throw new IllegalStateException(
                "docker-registry did not listen on " + address() + ": " + Files.readString(log));
    }

    private static int freePort(String host) throws IOException {
        try (var socket = new ServerSocket(0, 1, InetAddress.getByName(host))) {
            return socket.getLocalPort();
        }
    }

    /** Stops the registry: SIGTERM to its pid, SIGKILL if it lingers. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor();
        }
    }
}
