package dev.canal.engine.dns;

import java.io.ByteArrayOutputStream;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The replies the embedded server writes itself (RFC 1035 section 4.1): a header that echoes
 * the query's id, opcode and RD bit with QR and RA set, the query's question, then answers whose
 * name is a compression pointer to the question's (section 4.1.4). A reply that would not fit in
 * the client's limit keeps the records that fit and sets TC, so the client asks again over TCP
 * (RFC 2181 section 9).
 */
public final class DnsReply {

    /** RCODEs (RFC 1035 section 4.1.1). */
    public static final int NO_ERROR = 0;

    public static final int FORMAT_ERROR = 1;
    public static final int SERVER_FAILURE = 2;
    public static final int NAME_ERROR = 3;

    /** The time to live of every answer: docker's (libnetwork resolver.go respTTL), in seconds. */
    public static final int TTL = 600;

    /** A DNS message over TCP is at most 65535 bytes: its 2-byte length prefix (RFC 1035 section 4.2.2). */
    public static final int TCP_SIZE = 65535;

    private static final int QR = 0x8000;
    private static final int OPCODE = 0x7800;
    private static final int TC = 0x0200;
    private static final int RD = 0x0100;
    private static final int RA = 0x0080;
    private static final int CLASS_IN = 1;
    /** A pointer to offset 12, where the question's name starts: 0b11 then the offset. */
    private static final int POINTER_TO_QUESTION = 0xC000 | DnsQuery.HEADER_SIZE;

    private DnsReply() {}

    /**
     * The answer to an A or AAAA query: one record per address of the query's family (the
     * others are left out), in {@code maxSize} bytes at most. No address of that family is a
     * NOERROR reply without answers: the name exists, and a resolver must not look further.
     */
    public static byte[] addresses(DnsQuery query, List<InetAddress> addresses, int maxSize) {
        Class<? extends InetAddress> family = query.type() == DnsQuery.AAAA ? Inet6Address.class : Inet4Address.class;
        List<byte[]> records = addresses.stream()
                .filter(family::isInstance)
                .map(address -> record(query.type(), address.getAddress()))
                .toList();
        return reply(query, NO_ERROR, records, maxSize);
    }

    /** The answer to a PTR query: {@code name}, a dotted host name. */
    public static byte[] pointer(DnsQuery query, String name, int maxSize) {
        return reply(query, NO_ERROR, List.of(record(DnsQuery.PTR, encodeName(name))), maxSize);
    }

    /** A reply without answers: {@code rcode} (NXDOMAIN, SERVFAIL) or NOERROR for a name that has no record of the type. */
    public static byte[] empty(DnsQuery query, int rcode) {
        return reply(query, rcode, List.of(), TCP_SIZE);
    }

    /** FORMERR for a message that is not a query Canal can read: a header alone, with the id it had. */
    public static byte[] formatError(int id) {
        var out = new ByteArrayOutputStream();
        header(out, id, QR | RA | FORMAT_ERROR, 0, 0);
        return out.toByteArray();
    }

    private static byte[] reply(DnsQuery query, int rcode, List<byte[]> records, int maxSize) {
        byte[] question = query.question();
        int size = DnsQuery.HEADER_SIZE + question.length;
        int fitting = 0;
        for (byte[] record : records) {
            if (size + record.length > maxSize) {
                break;
            }
            size += record.length;
            fitting++;
        }
        int flags = QR | (query.flags() & (OPCODE | RD)) | RA | rcode;
        if (fitting < records.size()) {
            flags |= TC;
        }
        var out = new ByteArrayOutputStream(size);
        header(out, query.id(), flags, 1, fitting);
        out.writeBytes(question);
        records.subList(0, fitting).forEach(out::writeBytes);
        return out.toByteArray();
    }

    /** Header: ID, flags, QDCOUNT, ANCOUNT, NSCOUNT 0, ARCOUNT 0. */
    private static void header(ByteArrayOutputStream out, int id, int flags, int questions, int answers) {
        for (int field : new int[] {id, flags, questions, answers, 0, 0}) {
            writeShort(out, field);
        }
    }

    /** A resource record (RFC 1035 section 4.1.3) named by a pointer to the question's name. */
    private static byte[] record(int type, byte[] data) {
        var out = new ByteArrayOutputStream();
        writeShort(out, POINTER_TO_QUESTION);
        writeShort(out, type);
        writeShort(out, CLASS_IN);
        writeShort(out, TTL >>> 16);
        writeShort(out, TTL & 0xffff);
        writeShort(out, data.length);
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** A domain name as labels (RFC 1035 section 3.1), each at most 63 bytes, ending with the root's zero. */
    static byte[] encodeName(String name) {
        var out = new ByteArrayOutputStream();
        for (String label : name.split("\\.")) {
            byte[] bytes = label.getBytes(StandardCharsets.US_ASCII);
            if (bytes.length == 0 || bytes.length > 63) {
                throw new IllegalArgumentException("DNS name " + name + ": a label must have 1 to 63 bytes");
            }
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        out.write(0);
        if (out.size() > 255) {
            throw new IllegalArgumentException("DNS name " + name + ": longer than 255 bytes");
        }
        return out.toByteArray();
    }

    private static void writeShort(ByteArrayOutputStream out, int value) {
        out.write(value >>> 8 & 0xff);
        out.write(value & 0xff);
    }
}
