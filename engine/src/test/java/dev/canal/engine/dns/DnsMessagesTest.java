package dev.canal.engine.dns;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The wire format of {@link DnsQuery} and {@link DnsReply}, against bytes written out by hand from RFC 1035. */
class DnsMessagesTest {

    /** A query as dig or busybox nslookup sends it: RD set, one question, class IN; EDNS when {@code udpPayload > 0}. */
    static byte[] query(int id, String name, int type, int udpPayload) {
        var out = new ByteArrayOutputStream();
        out.writeBytes(
                new byte[] {(byte) (id >> 8), (byte) id, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, udpPayload > 0 ? (byte) 1 : 0
                });
        for (String label : name.split("\\.")) {
            out.write(label.length());
            out.writeBytes(label.getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes(new byte[] {0, (byte) (type >> 8), (byte) type, 0, 1});
        if (udpPayload > 0) {
            // OPT: root name, TYPE 41, CLASS = payload size, TTL 0, RDLEN 0.
            out.writeBytes(new byte[] {0, 0, 41, (byte) (udpPayload >> 8), (byte) udpPayload, 0, 0, 0, 0, 0, 0});
        }
        return out.toByteArray();
    }

    @Test
    void readsTheHeaderTheQuestionAndTheEdnsPayloadSize() {
        var query = DnsQuery.parse(query(0xbeef, "Web.Front", DnsQuery.AAAA, 1232));
        assertEquals(0xbeef, query.id());
        assertEquals("web.front", query.name(), "names are compared in lower case");
        assertEquals(DnsQuery.AAAA, query.type());
        assertEquals(0, query.opcode());
        assertEquals(1232, query.udpPayload());
        assertEquals(
                DnsQuery.CLASSIC_UDP_SIZE,
                DnsQuery.parse(query(1, "web", DnsQuery.A, 0)).udpPayload());
        assertEquals(
                "03576562" + "0546726f6e74" + "00" + "001c" + "0001",
                HexFormat.of().formatHex(query.question()),
                "the question as sent, case kept");
    }

    @Test
    void refusesWhatIsNotOneReadableQuestion() {
        byte[] good = query(7, "web", DnsQuery.A, 0);
        byte[] response = good.clone();
        response[2] |= (byte) 0x80;
        byte[] twoQuestions = good.clone();
        twoQuestions[5] = 2;
        byte[] cut = Arrays.copyOf(good, good.length - 3);
        byte[] pointer = good.clone();
        pointer[12] = (byte) 0xc0;
        assertEquals(
                "DNS message is a response, not a query",
                assertThrows(IllegalArgumentException.class, () -> DnsQuery.parse(response))
                        .getMessage());
        assertEquals(
                "DNS query with 2 questions: exactly 1 is answered",
                assertThrows(IllegalArgumentException.class, () -> DnsQuery.parse(twoQuestions))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> DnsQuery.parse(cut));
        assertThrows(IllegalArgumentException.class, () -> DnsQuery.parse(pointer));
        assertThrows(IllegalArgumentException.class, () -> DnsQuery.parse(new byte[5]));
        assertEquals(7, DnsQuery.idOf(cut));
        assertEquals(-1, DnsQuery.idOf(new byte[1]));
    }

    @Test
    void answersAnAQueryWithRecordsPointingAtTheQuestion() {
        byte[] sent = query(0x1234, "web", DnsQuery.A, 0);
        byte[] reply = DnsReply.addresses(
                DnsQuery.parse(sent),
                List.of(
                        InetAddress.ofLiteral("10.201.0.2"),
                        InetAddress.ofLiteral("fd00::2"),
                        InetAddress.ofLiteral("10.201.0.3")),
                512);
        String expected = "1234" // ID
                + "8180" // QR, RD, RA; NOERROR
                + "0001" + "0002" + "0000" + "0000" // one question, two answers (the IPv6 one left out)
                + "0377656200" + "0001" + "0001" // the question
                + "c00c" + "0001" + "0001" + "00000258" + "0004" + "0ac90002" // web A IN 600 10.201.0.2
                + "c00c" + "0001" + "0001" + "00000258" + "0004" + "0ac90003";
        assertEquals(expected, HexFormat.of().formatHex(reply));
    }

    @Test
    void answersAnAaaaQueryWithItsFamilyOnlyAndNoErrorWhenThereIsNone() {
        var aaaa = DnsQuery.parse(query(9, "web", DnsQuery.AAAA, 0));
        byte[] some = DnsReply.addresses(
                aaaa, List.of(InetAddress.ofLiteral("10.201.0.2"), InetAddress.ofLiteral("fd00::2")), 512);
        assertEquals(1, answerCount(some));
        assertEquals("fd000000000000000000000000000002", HexFormat.of().formatHex(some, some.length - 16, some.length));
        byte[] none = DnsReply.addresses(aaaa, List.of(InetAddress.ofLiteral("10.201.0.2")), 512);
        assertEquals(0, rcode(none), "the name exists: NOERROR, not NXDOMAIN");
        assertEquals(0, answerCount(none));
    }

    @Test
    void truncatesWhatDoesNotFitTheClientsLimitAndSaysSo() {
        var addresses = new ArrayList<InetAddress>();
        for (int i = 1; i <= 40; i++) {
            addresses.add(InetAddress.ofLiteral("10.201.0." + i));
        }
        // 12 + 9 bytes of header and question, 16 per A record: 30 fit in 512.
        byte[] classic = DnsReply.addresses(DnsQuery.parse(query(1, "web", DnsQuery.A, 0)), addresses, 512);
        assertEquals(30, answerCount(classic));
        assertEquals(0x02, classic[2] & 0x02, "TC set");
        assertEquals(12 + 9 + 30 * 16, classic.length);
        var edns = DnsQuery.parse(query(1, "web", DnsQuery.A, 4096));
        byte[] large = DnsReply.addresses(edns, addresses, edns.udpPayload());
        assertEquals(40, answerCount(large));
        assertEquals(0, large[2] & 0x02, "TC clear");
    }

    @Test
    void writesErrorsAndPointerRecords() {
        var query = DnsQuery.parse(query(0x0a0b, "nosuch", DnsQuery.A, 0));
        assertEquals(
                "0a0b" + "8183" + "0001000000000000" + "066e6f7375636800" + "00010001",
                HexFormat.of().formatHex(DnsReply.empty(query, DnsReply.NAME_ERROR)));
        assertEquals("0a0b" + "8081" + "000000000000" + "0000", HexFormat.of().formatHex(DnsReply.formatError(0x0a0b)));
        var ptr = DnsQuery.parse(query(5, "2.0.201.10.in-addr.arpa", DnsQuery.PTR, 0));
        byte[] reply = DnsReply.pointer(ptr, "web.front", 512);
        assertEquals(1, answerCount(reply));
        byte[] target = {3, 'w', 'e', 'b', 5, 'f', 'r', 'o', 'n', 't', 0};
        assertArrayEquals(target, Arrays.copyOfRange(reply, reply.length - target.length, reply.length));
        assertEquals(
                "DNS name a..b: a label must have 1 to 63 bytes",
                assertThrows(IllegalArgumentException.class, () -> DnsReply.encodeName("a..b"))
                        .getMessage());
    }

    private static int answerCount(byte[] reply) {
        return ByteBuffer.wrap(reply).getShort(6);
    }

    private static int rcode(byte[] reply) {
        return reply[3] & 0x0f;
    }
}
