package dev.canal.engine.net;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host's side of one published port in the daemon: it holds the host port, so no other
 * program and no other container can take it, and for TCP it is docker's userland proxy. A
 * connection to 127.0.0.1:HOSTPORT is never DNAT'ed (that would need route_localnet, which lets
 * martian packets in; docs/networking.md), so the proxy accepts it and opens its own to the
 * container, copying bytes both ways. So is a connection from a container to an address of the
 * host: the firewall returns packets that come in by a bridge before any DNAT, as Docker's
 * "SKIP DNAT" rule does for its proxy (NetworkRules.forNetwork in the runtime), so that a
 * container reaches a port published on another network, and its own. Connections from
 * elsewhere are DNAT'ed by the rule before they reach this socket. UDP is relayed in the same
 * way, one flow per client ({@link UdpRelay}).
 */
final class PortProxy implements AutoCloseable {

    private final NetworkChannel listener;
    private final Set<Channel> open = ConcurrentHashMap.newKeySet();

    private PortProxy(NetworkChannel listener) {
        this.listener = listener;
    }

    /**
     * Binds {@code hostIp:hostPort} (every address when {@code hostIp} is empty; a free port when
     * {@code hostPort} is 0) for {@code protocol} and, for TCP, forwards what it accepts to
     * {@code target}.
     *
     * @throws IllegalStateException as docker's "port is already allocated" when the port is taken,
     *     as its "Error starting userland proxy" when the address is not the host's
     */
    static PortProxy open(String protocol, String hostIp, int hostPort, InetSocketAddress target) {
        InetSocketAddress local = hostIp.isEmpty()
                ? new InetSocketAddress(hostPort)
                : new InetSocketAddress(InetAddress.ofLiteral(hostIp), hostPort);
        try {
            if (protocol.equals("udp")) {
                var socket = DatagramChannel.open().bind(local);
                var proxy = new PortProxy(socket);
                var relay = new UdpRelay(socket, target, proxy.open);
                Thread.ofVirtual().name("canal-udp-proxy-" + hostPort).start(relay::run);
                return proxy;
            }
            var server = ServerSocketChannel.open().bind(local);
            var proxy = new PortProxy(server);
            Thread.ofVirtual().name("canal-proxy-" + hostPort).start(() -> proxy.accept(server, target));
            return proxy;
        } catch (java.net.BindException e) {
            String address = (hostIp.isEmpty() ? "0.0.0.0" : hostIp) + ":" + hostPort;
            if (!"Address already in use".equals(e.getMessage())) {
                // Another bind(2) error, as moby's userland proxy reports it: EADDRNOTAVAIL for an
                // address that is not this host's, EACCES.
                throw new IllegalStateException("Error starting userland proxy: listen " + protocol + "4 " + address
                        + ": bind: " + e.getMessage().toLowerCase(Locale.ROOT));
            }
            throw new IllegalStateException("Bind for " + address + " failed: port is already allocated");
        } catch (IOException e) {
            throw new UncheckedIOException("publish " + protocol + " port " + hostPort, e);
        }
    }

    /** The port it holds: the one asked for, or the one the kernel picked for 0. */
    int port() {
        try {
            return ((InetSocketAddress) listener.getLocalAddress()).getPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept(ServerSocketChannel server, InetSocketAddress target) {
        try {
            while (true) {
                SocketChannel client = server.accept();
                Thread.ofVirtual().start(() -> forward(client, target));
            }
        } catch (ClosedChannelException closed) {
            // close(): the port is released
        } catch (IOException e) {
            System.err.println("canal: proxy for port " + port() + " stopped: " + e);
        }
    }

    private void forward(SocketChannel client, InetSocketAddress target) {
        open.add(client);
        try (client;
                SocketChannel container = SocketChannel.open(target)) {
            open.add(container);
            Thread copier = Thread.ofVirtual().start(() -> copy(container, client));
            copy(client, container);
            copier.join();
        } catch (IOException | InterruptedException e) {
            // the container refused or went away: the client sees its connection closed
        } finally {
            open.removeIf(channel -> !channel.isOpen());
        }
    }

    /** Copies until {@code from} ends, then half-closes {@code to}, as each side of TCP ends on its own. */
    private void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer buffer = ByteBuffer.allocate(16 * 1024);
        try {
            while (from.read(buffer) >= 0) {
                buffer.flip();
                while (buffer.hasRemaining()) {
                    to.write(buffer);
                }
                buffer.clear();
            }
            to.shutdownOutput();
        } catch (IOException closed) {
            // either side closed: nothing more to copy
        }
    }

    /** Releases the port and ends the connections (or UDP flows) it carries. */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException e) {
            // closing a listening socket does not fail in a way that leaves the port held
        }
        for (Channel channel : open) {
            try {
                channel.close();
            } catch (IOException e) {
                // already closed by its peer
            }
        }
    }
}
