package dev.canal.images.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes tar archives for tests, member by member, including the members a real layer tool
 * would never write (paths with {@code ..}, absolute paths): ustar headers, and a PAX header
 * before a member that has extended attributes or a name too long for ustar.
 */
public final class TarBuilder {

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Map<String, byte[]> nextXattrs = new LinkedHashMap<>();
    private Map<String, byte[]> nextPax = new LinkedHashMap<>();
    private Map<Integer, byte[]> nextRawFields = new LinkedHashMap<>();
    private String nextRawPax = "";
    private int uid;
    private int gid;
    private long mtime = 1_700_000_000L;

    /** Owner of the members added from now on. */
    public TarBuilder owner(int uid, int gid) {
        this.uid = uid;
        this.gid = gid;
        return this;
    }

    /** Modification time (seconds) of the members added from now on. */
    public TarBuilder mtime(long seconds) {
        this.mtime = seconds;
        return this;
    }

    /** An extended attribute for the next member (PAX {@code SCHILY.xattr.NAME}). */
    public TarBuilder xattr(String name, byte[] value) {
        nextXattrs.put(name, value);
        return this;
    }

    /** Any PAX record for the next member, such as a {@code size} or {@code mtime} no real tool writes. */
    public TarBuilder pax(String key, String value) {
        nextPax.put(key, value.getBytes(StandardCharsets.UTF_8));
        return this;
    }

    /** Text appended as it is to the next member's PAX header: records with lengths that lie. */
    public TarBuilder rawPax(String records) {
        nextRawPax += records;
        return this;
    }

    /**
     * Bytes written over the next member's header at {@code offset} (ustar: 108 uid, 124 size,
     * 136 mtime), before its checksum is computed: a base-256 number, or a broken field.
     */
    public TarBuilder rawField(int offset, byte[] bytes) {
        nextRawFields.put(offset, bytes);
        return this;
    }

    public TarBuilder directory(String name, int mode) {
        return member(name, '5', mode, new byte[0], "", 0, 0);
    }

    public TarBuilder file(String name, String content) {
        return file(name, 0644, content.getBytes(StandardCharsets.UTF_8));
    }

    public TarBuilder file(String name, int mode, byte[] content) {
        return member(name, '0', mode, content, "", 0, 0);
    }

    public TarBuilder symlink(String name, String target) {
        return member(name, '2', 0777, new byte[0], target, 0, 0);
    }

    public TarBuilder hardLink(String name, String target) {
        return member(name, '1', 0644, new byte[0], target, 0, 0);
    }

    public TarBuilder characterDevice(String name, int major, int minor) {
        return member(name, '3', 0666, new byte[0], "", major, minor);
    }

    public TarBuilder fifo(String name) {
        return member(name, '6', 0640, new byte[0], "", 0, 0);
    }

    /** The archive, ended by two zero blocks. */
    public byte[] build() {
        out.writeBytes(new byte[1024]);
        return out.toByteArray();
    }

    private TarBuilder member(String name, char type, int mode, byte[] content, String link, int major, int minor) {
        var pax = new ByteArrayOutputStream();
        nextXattrs.forEach((key, value) -> paxRecord(pax, "SCHILY.xattr." + key, value));
        nextPax.forEach((key, value) -> paxRecord(pax, key, value));
        pax.writeBytes(nextRawPax.getBytes(StandardCharsets.UTF_8));
        nextRawPax = "";
        if (name.getBytes(StandardCharsets.UTF_8).length > 100) {
            paxRecord(pax, "path", name.getBytes(StandardCharsets.UTF_8));
        }
        nextXattrs = new LinkedHashMap<>();
        nextPax = new LinkedHashMap<>();
        if (pax.size() > 0) {
            writeHeader("PaxHeaders/x", 'x', 0644, pax.size(), "", 0, 0);
            writePadded(pax.toByteArray());
        }
        writeHeader(name, type, mode, content.length, link, major, minor);
        writePadded(content);
        nextRawFields = new LinkedHashMap<>();
        return this;
    }

    private static void paxRecord(ByteArrayOutputStream pax, String key, byte[] value) {
        int body = 1 + key.getBytes(StandardCharsets.UTF_8).length + 1 + value.length + 1;
        int length = body + Integer.toString(body).length();
        if (Integer.toString(length).length() != Integer.toString(body).length()) {
            length++;
        }
        pax.writeBytes((length + " " + key + "=").getBytes(StandardCharsets.UTF_8));
        pax.writeBytes(value);
        pax.write('\n');
    }

    private void writeHeader(String name, char type, int mode, long size, String link, int major, int minor) {
        byte[] header = new byte[512];
        put(header, 0, 100, name.getBytes(StandardCharsets.UTF_8));
        octal(header, 100, 8, mode);
        octal(header, 108, 8, uid);
        octal(header, 116, 8, gid);
        octal(header, 124, 12, size);
        octal(header, 136, 12, mtime);
        header[156] = (byte) type;
        put(header, 157, 100, link.getBytes(StandardCharsets.UTF_8));
        put(header, 257, 6, "ustar\0".getBytes(StandardCharsets.US_ASCII));
        put(header, 263, 2, "00".getBytes(StandardCharsets.US_ASCII));
        octal(header, 329, 8, major);
        octal(header, 337, 8, minor);
        if (type != 'x') {
            nextRawFields.forEach((offset, bytes) -> System.arraycopy(bytes, 0, header, offset, bytes.length));
        }
        java.util.Arrays.fill(header, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xff;
        }
        put(header, 148, 8, String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(header);
    }

    private void writePadded(byte[] data) {
        out.writeBytes(data);
        out.writeBytes(new byte[(512 - data.length % 512) % 512]);
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        put(
                header,
                offset,
                length,
                String.format("%0" + (length - 1) + "o", value).getBytes(StandardCharsets.US_ASCII));
    }

    private static void put(byte[] header, int offset, int length, byte[] value) {
        System.arraycopy(value, 0, header, offset, Math.min(length, value.length));
    }
}
