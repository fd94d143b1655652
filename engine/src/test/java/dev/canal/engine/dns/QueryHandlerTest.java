package dev.canal.engine.dns;

import static dev.canal.engine.dns.DnsMessagesTest.query;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What the embedded server answers itself and what it forwards, with a directory of two names
 * and an upstream server of the test's own on 127.0.0.1 that answers every query NXDOMAIN.
 */
class QueryHandlerTest {

    private static final InetAddress WEB = InetAddress.ofLiteral("10.201.0.2");

    private final NameDirectory directory = new NameDirectory() {
        private final Map<String, List<InetAddress>> names = Map.of("web", List.of(WEB), "db", List.of());

        @Override
        public Optional<List<InetAddress>> addressesOf(String asking, String name) {
            return asking.equals("asker") ? Optional.ofNullable(names.get(name)) : Optional.empty();
        }

        @Override
        public Optional<String> nameOf(String asking, InetAddress address) {
            return address.equals(WEB) ? Optional.of("web.front") : Optional.empty();
        }
    };

    @Test
    void answersTheDirectorysNamesItself() {
        var handler = new QueryHandler("asker", directory, new UpstreamResolvers(List.of()));
        byte[] reply = handler.answer(query(1, "WEB", DnsQuery.A, 0), false);
        assertEquals(0, reply[3] & 0x0f);
        assertEquals(1, ByteBuffer.wrap(reply).getShort(6));
        assertArrayEquals(WEB.getAddress(), Arrays.copyOfRange(reply, reply.length - 4, reply.length));
        byte[] aaaa = handler.answer(query(2, "web", DnsQuery.AAAA, 0), false);
        assertEquals(0, aaaa[3] & 0x0f, "a known name without IPv6 is NOERROR, and not forwarded");
        assertEquals(0, ByteBuffer.wrap(aaaa).getShort(6));
        byte[] ptr = handler.answer(query(3, "2.0.201.10.in-addr.arpa", DnsQuery.PTR, 0), false);
        assertEquals(1, ByteBuffer.wrap(ptr).getShort(6));
    }

    @Test
    void withoutAnUpstreamOtherNamesFailAndGarbageGetsFormErr() {
        var handler = new QueryHandler("asker", directory, new UpstreamResolvers(List.of()));
        assertEquals(DnsReply.SERVER_FAILURE, handler.answer(query(4, "example.com", DnsQuery.A, 0), false)[3] & 0x0f);
        assertEquals(
                DnsReply.SERVER_FAILURE,
                new QueryHandler("stranger", directory, new UpstreamResolvers(List.of()))
                                .answer(query(5, "web", DnsQuery.A, 0), false)[3]
                        & 0x0f,
                "another network's container does not see web");
        assertArrayEquals(DnsReply.formatError(6), handler.answer(new byte[] {0, 6, 1}, false));
        assertNull(handler.answer(new byte[] {0}, false));
    }

    @Test
    void forwardsOtherNamesToTheFirstUpstreamThatAnswers() throws IOException {
        try (var upstream = DatagramChannel.open().bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0));
                var silent =
                        DatagramChannel.open().bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0))) {
            Thread server = Thread.ofVirtual().start(() -> {
                try {
                    ByteBuffer buffer = ByteBuffer.allocate(512);
                    var client = upstream.receive(buffer);
                    byte[] message = new byte[buffer.flip().remaining()];
                    buffer.get(message);
                    upstream.send(
                            ByteBuffer.wrap(DnsReply.empty(DnsQuery.parse(message), DnsReply.NAME_ERROR)), client);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            var handler = new QueryHandler(
                    "asker",
                    directory,
                    new UpstreamResolvers(List.of((InetSocketAddress) silent.getLocalAddress(), (InetSocketAddress)
                            upstream.getLocalAddress())));
            byte[] reply = handler.answer(query(0x4242, "example.com", DnsQuery.A, 0), false);
            assertEquals(0x4242, DnsQuery.idOf(reply));
            assertEquals(
                    DnsReply.NAME_ERROR, reply[3] & 0x0f, "the upstream's NXDOMAIN, after the silent one timed out");
            server.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
