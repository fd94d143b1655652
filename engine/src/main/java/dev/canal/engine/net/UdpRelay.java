package dev.canal.engine.net;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Docker's userland proxy for one published UDP port (moby cmd/docker-proxy udp_proxy.go). UDP
 * has no connections, so a flow is a client's address: its first datagram opens a socket
 * connected to the container for that client alone, the container's replies on it go back to the
 * client from the published socket, and a flow quiet both ways for {@link #IDLE} is forgotten, as
 * moby's UDPConnTrackTimeout.
 */
final class UdpRelay {

    /** How long a flow lives without a datagram either way (moby: UDPConnTrackTimeout, 90 s). */
    static final Duration IDLE = Duration.ofSeconds(90);

    /** The largest UDP payload over IPv4 (RFC 768 length field less the IP and UDP headers). */
    private static final int MAX_DATAGRAM = 65_507;

    private final DatagramChannel published;
    private final InetSocketAddress target;
    private final Set<Channel> open;
    private final Map<SocketAddress, Flow> flows = new ConcurrentHashMap<>();

    /**
     * Relays what arrives on {@code published} to {@code target}; each flow's socket is kept in
     * {@code open}, so closing what is there ends the flows.
     */
    UdpRelay(DatagramChannel published, InetSocketAddress target, Set<Channel> open) {
        this.published = published;
        this.target = target;
        this.open = open;
    }

    /** One client's flow: its socket towards the container and when a datagram last went either way. */
    private static final class Flow {
        final DatagramChannel container;
        volatile long lastActive = System.nanoTime();

        Flow(DatagramChannel container) {
            this.container = container;
        }

        void touch() {
            lastActive = System.nanoTime();
        }

        boolean idle() {
            return System.nanoTime() - lastActive >= IDLE.toNanos();
        }
    }

    /** Receives from clients until the published socket is closed. */
    void run() {
        ByteBuffer datagram = ByteBuffer.allocate(MAX_DATAGRAM);
        try {
            while (true) {
                datagram.clear();
                SocketAddress client = published.receive(datagram);
                datagram.flip();
                Flow flow = flows.get(client);
                if (flow == null) {
                    flow = startFlow(client);
                }
                flow.touch();
                try {
                    flow.container.write(datagram);
                } catch (IOException unreachable) {
                    // the container is not listening (ICMP port unreachable) or the flow just
                    // expired: the datagram is lost, as UDP allows
                }
            }
        } catch (ClosedChannelException closed) {
            // PortProxy.close(): the port is released
        } catch (IOException e) {
            System.err.println("canal: udp proxy for " + target + " stopped: " + e);
        }
    }

    private Flow startFlow(SocketAddress client) throws IOException {
        var flow = new Flow(DatagramChannel.open().connect(target));
        open.add(flow.container);
        if (!published.isOpen()) {
            // closed while this flow was opening: PortProxy.close() did not see it
            flow.container.close();
            throw new ClosedChannelException();
        }
        flows.put(client, flow);
        Thread.ofVirtual().name("canal-udp-flow-" + client).start(() -> relayReplies(client, flow));
        return flow;
    }

    /** Sends the container's replies back to {@code client} until the flow is idle or closed. */
    private void relayReplies(SocketAddress client, Flow flow) {
        byte[] buffer = new byte[MAX_DATAGRAM];
        var reply = new DatagramPacket(buffer, buffer.length);
        // The channel's socket adaptor, for SO_TIMEOUT: a blocking DatagramChannel has no timeout of its own.
        var socket = flow.container.socket();
        try {
            socket.setSoTimeout((int) IDLE.toMillis());
            while (true) {
                try {
                    socket.receive(reply);
                    flow.touch();
                    published.send(ByteBuffer.wrap(buffer, 0, reply.getLength()), client);
                } catch (SocketTimeoutException quiet) {
                    if (flow.idle()) {
                        return;
                    }
                } catch (PortUnreachableException notListening) {
                    // ICMP port unreachable for an earlier datagram: the client may retry
                }
            }
        } catch (IOException e) {
            if (flow.container.isOpen() && published.isOpen()) {
                System.err.println("canal: udp flow " + client + " -> " + target + " ended: " + e);
            }
            // else PortProxy.close() ended it
        } finally {
            flows.remove(client, flow);
            open.remove(flow.container);
            socket.close();
        }
    }
}
