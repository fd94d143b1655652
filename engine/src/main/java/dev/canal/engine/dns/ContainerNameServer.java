package dev.canal.engine.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * The embedded DNS server of one container: a UDP socket and a TCP listener on
 * {@link EmbeddedDns#ADDRESS} inside the container's network namespace. They are opened by a
 * thread that has entered the namespace with setns(2) ({@link EmbeddedDns#bind}), and a
 * socket belongs to the namespace it was created in for its whole life (network_namespaces(7)),
 * so the daemon's own threads serve them without ever changing namespace. Each query is
 * answered on a virtual thread of its own, since a forwarded one waits for an upstream server.
 */
final class ContainerNameServer implements AutoCloseable {

    /** docker's maxConcurrent: queries of one container in flight at once; more are dropped, and clients retry. */
    private static final int MAX_IN_FLIGHT = 1024;

    /** How long a TCP client may stay silent between queries. */
    private static final int TCP_IDLE_MILLIS = 10_000;

    private final DatagramChannel udp;
    private final ServerSocketChannel tcp;
    private final QueryHandler handler;
    private final Set<SocketChannel> connections = ConcurrentHashMap.newKeySet();
    private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

    private ContainerNameServer(DatagramChannel udp, ServerSocketChannel tcp, QueryHandler handler) {
        this.udp = udp;
        this.tcp = tcp;
        this.handler = handler;
    }

    /** Serves {@code handler}'s answers on {@code sockets}, bound in the container's namespace. */
    static ContainerNameServer serve(EmbeddedDns.Sockets sockets, QueryHandler handler) {
        var server = new ContainerNameServer(sockets.udp(), sockets.tcp(), handler);
        Thread.ofVirtual().name("canal-dns-udp").start(server::serveUdp);
        Thread.ofVirtual().name("canal-dns-tcp").start(server::serveTcp);
        return server;
    }

    private void serveUdp() {
        ByteBuffer buffer = ByteBuffer.allocate(DnsReply.TCP_SIZE);
        while (true) {
            buffer.clear();
            SocketAddress client;
            try {
                client = udp.receive(buffer);
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                System.err.println("canald: embedded DNS: receive: " + e.getMessage());
                return;
            }
            byte[] message = new byte[buffer.flip().remaining()];
            buffer.get(message);
            if (!inFlight.tryAcquire()) {
                continue;
            }
            Thread.ofVirtual().name("canal-dns-query").start(() -> {
                try {
                    byte[] reply = handler.answer(message, false);
                    if (reply != null) {
                        udp.send(ByteBuffer.wrap(reply), client);
                    }
                } catch (IOException | RuntimeException e) {
                    if (udp.isOpen()) {
                        System.err.println("canald: embedded DNS: reply to " + client + ": " + e.getMessage());
                    }
                } finally {
                    inFlight.release();
                }
            });
        }
    }

    private void serveTcp() {
        while (true) {
            SocketChannel connection;
            try {
                connection = tcp.accept();
            } catch (ClosedChannelException closed) {
                return;
            } catch (IOException e) {
                System.err.println("canald: embedded DNS: accept: " + e.getMessage());
                return;
            }
            connections.add(connection);
            if (!tcp.isOpen()) {
                closeQuietly(connection); // closed while accepting: close() may have missed it
            }
            Thread.ofVirtual().name("canal-dns-tcp-client").start(() -> serveConnection(connection));
        }
    }

    /** RFC 1035 section 4.2.2 and RFC 7766: queries one after the other, each behind its length. */
    private void serveConnection(SocketChannel connection) {
        try (connection) {
            // The socket adaptor's streams honour SO_TIMEOUT; a channel's own would block for ever.
            connection.socket().setSoTimeout(TCP_IDLE_MILLIS);
            var in = new DataInputStream(connection.socket().getInputStream());
            var out = new DataOutputStream(connection.socket().getOutputStream());
            while (true) {
                int length;
                try {
                    length = in.readUnsignedShort();
                } catch (EOFException done) {
                    return;
                }
                byte[] reply = handler.answer(in.readNBytes(length), true);
                if (reply == null) {
                    return;
                }
                out.writeShort(reply.length);
                out.write(reply);
                out.flush();
            }
        } catch (IOException | RuntimeException ended) {
            // The client went, was silent too long, or the server closed: the connection ends.
        } finally {
            connections.remove(connection);
        }
    }

    /** Stops listening and ends the open TCP connections; queries in flight get no reply. */
    @Override
    public void close() {
        closeQuietly(udp);
        closeQuietly(tcp);
        connections.forEach(ContainerNameServer::closeQuietly);
    }

    static void closeQuietly(Channel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a socket releases it even when close reports an error.
        }
    }
}
