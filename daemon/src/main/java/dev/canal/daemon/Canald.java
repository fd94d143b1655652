package dev.canal.daemon;

import dev.canal.engine.Engine;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.unixdomain.server.UnixDomainServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import sun.misc.Signal;

/**
 * canald, the Docker Engine API on a unix socket, over Canal's {@link Engine}: what dockerd is to
 * containerd and runc, in one JVM. It opens the engine on its data and exec roots, re-adopts the
 * containers a previous canald left running ({@link Engine#restore}), serves the API with Jetty 12
 * on the socket, and on SIGTERM or SIGINT stops the containers (or leaves them running with
 * {@code --live-restore}) and removes its socket and pid file. docs/daemon.md tells the whole path
 * from {@code docker run} to the kernel.
 */
public final class Canald {
    /**
     * Jetty's pool: a request that streams (logs -f, attach, events, wait) holds a thread for as
     * long as it lasts, so the bound is the number of such clients at once, not the cores.
     */
    private static final int MAX_THREADS = 2000;

    private static final int MIN_THREADS = 4;

    private Canald() {}

    public static void main(String[] args) throws Exception {
        DaemonOptions options;
        try {
            if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
                System.out.print(DaemonOptions.USAGE);
                return;
            }

            options = DaemonOptions.parse(List.of(args));
        } catch (IllegalArgumentException e) {
            System.err.println("canald: " + e.getMessage());
            System.exit(1);
            return;
        }

        if (!System.getProperty("user.name").equals("root")) {
            System.err.println("canald: canald needs root: it makes namespaces, cgroups and mounts");
            System.exit(1);
        }

        try {
            run(options);
        } catch (Exception e) {
            System.err.println("canald: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            System.exit(1);
        }
    }

    private static void run(DaemonOptions options) throws Exception {
        Files.createDirectories(options.dataRoot());
        Files.createDirectories(options.execRoot());
        Files.createDirectories(options.socket().getParent());
        removeStaleSocket(options.socket());
        Engine engine = Engine.open(options.dataRoot(), options.execRoot(), options.bridge());
        // Before the socket answers: a client must not see a container the engine has not adopted.
        engine.restore();
        DaemonInfo daemon = new DaemonInfo(
                daemonId(options.dataRoot()),
                options.dataRoot(),
                options.execRoot(),
                options.liveRestore(),
                Instant.now());
        Server server = server(options.socket(), new ApiHandler(engine, daemon));
        server.start();
        secureSocket(options.socket(), options.group());
        Files.writeString(options.pidFile(), ProcessHandle.current().pid() + "\n");
        CountDownLatch stopped = new CountDownLatch(1);

        // Handling the signals, rather than a shutdown hook after the JVM's own handling, keeps
        // canald up until its containers have stopped (their stop timeouts may take seconds), then
        // exits 0 as dockerd does, not 143. The handler runs on the JVM's signal thread, which
        // must not block: the stop runs on a thread of its own.
        for (String signal : List.of("TERM", "INT")) {
            Signal.handle(
                    new Signal(signal),
                    received -> Thread.ofPlatform().start(() -> {
                        stop(server, engine, options);
                        stopped.countDown();
                    }));
        }

        System.err.println("canald: API listening on " + options.socket());
        stopped.await();
        System.exit(0);
    }

    private static Server server(Path socket, ApiHandler handler) {
        QueuedThreadPool threads = new QueuedThreadPool(MAX_THREADS, MIN_THREADS);
        threads.setName("canald");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        UnixDomainServerConnector connector =
                new UnixDomainServerConnector(server, new ConnectionFactory[] {new HttpConnectionFactory(http)});
        connector.setUnixDomainPath(socket);
        // No idle timeout: a docker logs -f or docker wait is silent for as long as the container is.
        connector.setIdleTimeout(0L);
        server.addConnector(connector);
        server.setHandler(handler);
        server.setStopTimeout(5000L);
        return server;
    }

    /**
     * Mode 0660, owner root, group {@code group} when it exists: who can write to the socket can
     * run anything as root, so access is what docker's socket gives, root and the docker group.
     */
    private static void secureSocket(Path socket, String group) throws IOException {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));

        try {
            GroupPrincipal principal =
                    socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(socket, PosixFileAttributeView.class).setGroup(principal);
        } catch (UserPrincipalNotFoundException noSuchGroup) {
            // root's group, then: only root can connect.
        }
    }

    /**
     * A socket file outlives a daemon killed with SIGKILL, and bind(2) fails on it with
     * EADDRINUSE. It is removed when nothing answers on it; when something does, another daemon
     * owns this socket, and starting would take its clients.
     */
    private static void removeStaleSocket(Path socket) throws IOException {
        if (!Files.exists(socket)) {
            return;
        }
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException nobodyThere) {
            Files.delete(socket);
            return;
        }
        throw new IllegalStateException("another daemon answers on " + socket);
    }

    /** The containers first, while clients can still watch them stop, then the server and its files. */
    private static void stop(Server server, Engine engine, DaemonOptions options) {
        engine.shutdown(options.liveRestore());

        try {
            server.stop();
        } catch (Exception | LinkageError e) {
            // LinkageError too: Jetty loads some classes only when it stops, and a jar rebuilt
            // under a running canald fails them. The files below go all the same.
            System.err.println("canald: stopping: " + e);
        }
        try {
            Files.deleteIfExists(options.socket());
            Files.deleteIfExists(options.pidFile());
        } catch (IOException e) {
            System.err.println("canald: stopping: " + e.getMessage());
        }
    }

    /** The daemon's ID in {@code docker info}: random once, then kept in the data root. */
    private static String daemonId(Path dataRoot) throws IOException {
        Path file = dataRoot.resolve("engine-id");
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }

        byte[] bytes = new byte[16];
        new SecureRandom().nextBytes(bytes);
        String id = HexFormat.of().formatHex(bytes);
        Files.writeString(file, id);
        return id;
    }
}
