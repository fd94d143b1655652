package dev.canal.tests;

import dev.canal.engine.dns.DnsQuery;
import dev.canal.engine.dns.DnsReply;
import dev.canal.runtime.net.NetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A name server of the test's own, standing for the host's resolver: UDP on 127.0.0.1:53 of a
 * network namespace the test made, so that nothing the embedded DNS server forwards leaves
 * that namespace. It knows {@code names} (A records) and answers NXDOMAIN for any other, and
 * remembers every name it was asked.
 */
final class TestResolver implements AutoCloseable {

    private final DatagramChannel channel;
    private final Map<String, InetAddress> names;
    private final Set<String> asked = ConcurrentHashMap.newKeySet();

    private TestResolver(DatagramChannel channel, Map<String, InetAddress> names) {
        this.channel = channel;
        this.names = names;
    }

    /** Listens on 127.0.0.1:53 in {@code namespace}, a socket made by a thread that setns(2)ed into it. */
    static TestResolver start(NetworkNamespace namespace, Map<String, InetAddress> names) {
        DatagramChannel channel = namespace.call(() -> {
            try {
                return DatagramChannel.open().bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 53));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        var resolver = new TestResolver(channel, Map.copyOf(names));
        Thread.ofVirtual().name("test-resolver").start(resolver::serve);
        return resolver;
    }

    /** The names it was asked, lower case. */
    Set<String> asked() {
        return Set.copyOf(asked);
    }

    private void serve() {
        ByteBuffer buffer = ByteBuffer.allocate(DnsReply.TCP_SIZE);
        try {
            while (true) {
                buffer.clear();
                SocketAddress client = channel.receive(buffer);
                byte[] message = new byte[buffer.flip().remaining()];
                buffer.get(message);
                DnsQuery query = DnsQuery.parse(message);
                asked.add(query.name());
                InetAddress address = names.get(query.name());
                byte[] reply = address == null
                        ? DnsReply.empty(query, DnsReply.NAME_ERROR)
                        : DnsReply.addresses(query, List.of(address), query.udpPayload());
                channel.send(ByteBuffer.wrap(reply), client);
            }
        } catch (ClosedChannelException closed) {
            // close() ends it
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
