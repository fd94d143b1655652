package dev.canal.engine.dns;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * A DNS query as the embedded server reads it (RFC 1035 section 4.1): the header's id and
 * flags, the one question, and the UDP payload size the client advertises in an EDNS OPT
 * record (RFC 6891), if any. The question is also kept as its bytes, which a reply repeats.
 *
 * @param id          the header's ID, which the reply must carry
 * @param flags       the header's second 16 bits: QR, OPCODE, AA, TC, RD, RA, Z, RCODE
 * @param name        the question's name, lower case, without the root's trailing dot ("" for the root)
 * @param type        QTYPE: {@link #A}, {@link #AAAA}, {@link #PTR}...
 * @param question    the question section as sent: QNAME, QTYPE, QCLASS
 * @param udpPayload  the largest UDP reply the client accepts: 512 (RFC 1035 section 2.3.4) unless
 *                    its OPT record says more
 */
public record DnsQuery(int id, int flags, String name, int type, byte[] question, int udpPayload) {

    /** RFC 1035 section 3.2.2 and RFC 3596: the types the embedded server answers itself. */
    public static final int A = 1;

    public static final int PTR = 12;
    public static final int MX = 15;
    public static final int AAAA = 28;

    /** RFC 6891 section 6.1.1: the OPT pseudo-record, whose CLASS is the UDP payload size. */
    static final int OPT = 41;

    /** RFC 1035 section 2.3.4: a UDP message is at most 512 bytes unless EDNS says more. */
    public static final int CLASSIC_UDP_SIZE = 512;

    static final int HEADER_SIZE = 12;
    private static final int QR = 0x8000;
    private static final int OPCODE = 0x7800;
    private static final int MAX_NAME_LENGTH = 255;

    public DnsQuery {
        question = question.clone();
    }

    @Override
    public byte[] question() {
        return question.clone();
    }

    /** The opcode, bits 11 to 14 of the flags: 0 is a standard query. */
    public int opcode() {
        return (flags & OPCODE) >> 11;
    }

    /**
     * Reads a query. A message that is a response, holds no question or more than one, or
     * whose question runs past its end or uses a compression pointer (which no resolver puts
     * in a query) is refused.
     *
     * @throws IllegalArgumentException naming what is wrong; the id is readable when at least 2 bytes came
     */
    public static DnsQuery parse(byte[] message) {
        if (message.length < HEADER_SIZE) {
            throw new IllegalArgumentException("DNS message of " + message.length + " bytes: shorter than a header");
        }
        ByteBuffer in = ByteBuffer.wrap(message); // network byte order, RFC 1035 section 2.3.2
        int id = Short.toUnsignedInt(in.getShort());
        int flags = Short.toUnsignedInt(in.getShort());
        int questions = Short.toUnsignedInt(in.getShort());
        int answers = Short.toUnsignedInt(in.getShort());
        int authorities = Short.toUnsignedInt(in.getShort());
        int additionals = Short.toUnsignedInt(in.getShort());
        if ((flags & QR) != 0) {
            throw new IllegalArgumentException("DNS message is a response, not a query");
        }
        if (questions != 1) {
            throw new IllegalArgumentException("DNS query with " + questions + " questions: exactly 1 is answered");
        }
        String name = readName(in);
        int type = unsignedShort(in, "QTYPE");
        unsignedShort(in, "QCLASS");
        byte[] question = Arrays.copyOfRange(message, HEADER_SIZE, in.position());
        int udpPayload = CLASSIC_UDP_SIZE;
        if (answers == 0 && authorities == 0 && additionals == 1 && in.remaining() >= 11) {
            // An EDNS client's OPT record: the root name (one zero byte), TYPE 41, then the
            // payload size where a record's CLASS would be.
            if (in.get() == 0 && Short.toUnsignedInt(in.getShort()) == OPT) {
                udpPayload = Math.max(CLASSIC_UDP_SIZE, Short.toUnsignedInt(in.getShort()));
            }
        }
        return new DnsQuery(id, flags, name, type, question, udpPayload);
    }

    /** The id of a message too broken to parse, so a FORMERR can still be matched to it; -1 without one. */
    public static int idOf(byte[] message) {
        return message.length < 2 ? -1 : (message[0] & 0xff) << 8 | (message[1] & 0xff);
    }

    /** QNAME (RFC 1035 section 3.1): length-prefixed labels ending with a zero length. */
    private static String readName(ByteBuffer in) {
        var name = new StringBuilder();
        int wireLength = 0;
        while (true) {
            if (!in.hasRemaining()) {
                throw new IllegalArgumentException("DNS query: the question's name runs past the message");
            }
            int length = Byte.toUnsignedInt(in.get());
            wireLength += 1 + length;
            if (length == 0) {
                break;
            }
            if (length > 63) {
                // 0xC0 marks a compression pointer (section 4.1.4); 0x40 and 0x80 are reserved.
                throw new IllegalArgumentException("DNS query: label of length byte " + length + " in the question");
            }
            if (in.remaining() < length || wireLength > MAX_NAME_LENGTH) {
                throw new IllegalArgumentException("DNS query: the question's name runs past the message or 255 bytes");
            }
            byte[] label = new byte[length];
            in.get(label);
            if (!name.isEmpty()) {
                name.append('.');
            }
            name.append(new String(label, StandardCharsets.ISO_8859_1));
        }
        // Names compare without regard to ASCII case (RFC 4343).
        return name.toString().toLowerCase(Locale.ROOT);
    }

    private static int unsignedShort(ByteBuffer in, String field) {
        if (in.remaining() < 2) {
            throw new IllegalArgumentException("DNS query: " + field + " runs past the message");
        }
        return Short.toUnsignedInt(in.getShort());
    }
}
