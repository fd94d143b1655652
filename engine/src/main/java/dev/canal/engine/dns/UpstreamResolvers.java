package dev.canal.engine.dns;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;

/**
 * The name servers the embedded server forwards other names to, asked in order as docker
 * does (libnetwork resolver.go forwardExtDNS): at most three, each given {@link #TIMEOUT_MILLIS},
 * the next one tried when one does not answer or answers SERVFAIL or REFUSED. The sockets are
 * opened by the calling thread, so the queries leave from the daemon's network namespace: a
 * name server on the host's loopback (systemd-resolved's 127.0.0.53) is reachable, which it would
 * not be from the container's.
 */
final class UpstreamResolvers {

    /** docker's extIOTimeout. */
    static final int TIMEOUT_MILLIS = 4000;

    private static final int MAX_SERVERS = 3;
    private static final int REFUSED = 5;

    private final List<InetSocketAddress> servers;

    UpstreamResolvers(List<InetSocketAddress> servers) {
        this.servers = List.copyOf(servers.subList(0, Math.min(MAX_SERVERS, servers.size())));
    }

    List<InetSocketAddress> servers() {
        return servers;
    }

    /**
     * The reply of the first server that answers {@code query} well, over TCP if {@code overTcp}
     * (the client came by TCP, usually after a truncated UDP reply) else UDP; the last failing
     * reply if none did; null if none answered at all.
     */
    byte[] exchange(byte[] query, boolean overTcp) {
        byte[] last = null;
        for (InetSocketAddress server : servers) {
            byte[] reply;
            try {
                reply = overTcp ? overTcp(server, query) : overUdp(server, query);
            } catch (IOException silent) {
                continue; // no answer in time, refused, unreachable: the next one
            }
            if (reply.length < DnsQuery.HEADER_SIZE || DnsQuery.idOf(reply) != DnsQuery.idOf(query)) {
                continue;
            }
            int rcode = reply[3] & 0x0f;
            if (rcode != DnsReply.SERVER_FAILURE && rcode != REFUSED) {
                return reply;
            }
            last = reply;
        }
        return last;
    }

    private static byte[] overUdp(InetSocketAddress server, byte[] query) throws IOException {
        try (var socket = new DatagramSocket()) {
            // connect(2) on a UDP socket: only the server's datagrams are received.
            socket.connect(server);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            socket.send(new DatagramPacket(query, query.length));
            var packet = new DatagramPacket(new byte[DnsReply.TCP_SIZE], DnsReply.TCP_SIZE);
            socket.receive(packet);
            return Arrays.copyOf(packet.getData(), packet.getLength());
        }
    }

    /** RFC 1035 section 4.2.2: over TCP each message is preceded by its length in two bytes. */
    private static byte[] overTcp(InetSocketAddress server, byte[] query) throws IOException {
        try (var socket = new Socket()) {
            socket.connect(server, TIMEOUT_MILLIS);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            var out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            var in = new DataInputStream(socket.getInputStream());
            return in.readNBytes(in.readUnsignedShort());
        }
    }
}
