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

public final class Canald {
    private static final int MAX_THREADS = 2000;

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
        QueuedThreadPool threads = new QueuedThreadPool(2000, 4);
        threads.setName("canald");
        Server server = new Server(threads);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        UnixDomainServerConnector connector =
                new UnixDomainServerConnector(server, new ConnectionFactory[] {new HttpConnectionFactory(http)});
        connector.setUnixDomainPath(socket);
        connector.setIdleTimeout(0L);
        server.addConnector(connector);
        server.setHandler(handler);
        server.setStopTimeout(5000L);
        return server;
    }

    private static void secureSocket(Path socket, String group) throws IOException {
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));

        try {
            GroupPrincipal principal =
                    socket.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(group);
            Files.getFileAttributeView(socket, PosixFileAttributeView.class).setGroup(principal);
        } catch (UserPrincipalNotFoundException var3) {
        }
    }

    private static void removeStaleSocket(Path socket) throws IOException {
        if (Files.exists(socket)) {
            try {
                SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);

                try {
                    channel.connect(UnixDomainSocketAddress.of(socket));
                    throw new IllegalStateException("another daemon answers on " + socket);
                } catch (Throwable var5) {
                    if (channel != null) {
                        try {
                            channel.close();
                        } catch (Throwable var4) {
                            var5.addSuppressed(var4);
                        }
                    }

                    throw var5;
                }
            } catch (IOException nobodyThere) {
                Files.delete(socket);
            }
        }
    }

    private static void stop(Server server, Engine engine, DaemonOptions options) {
        engine.shutdown(options.liveRestore());

        try {
            server.stop();
            Files.deleteIfExists(options.socket());
            Files.deleteIfExists(options.pidFile());
        } catch (Exception | LinkageError e) {
            System.err.println("canald: stopping: " + e);
        }
    }

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
