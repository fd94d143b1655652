package dev.canal.images.tar;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a tar stream member by member: POSIX ustar headers, PAX extended headers (POSIX.1-2001,
 * pax(1) "pax Extended Header") and the GNU long-name extensions, which together are what
 * Docker, BuildKit, umoci and GNU tar write for image layers.
 *
 * <p>Why not a library: Apache commons-compress decodes every PAX value as a UTF-8 string, and
 * extended attribute values are binary ({@code security.capability} is a little-endian struct),
 * so they would be corrupted on the way through. Here PAX values stay bytes until their key
 * says what they are.
 *
 * <p>A tar archive is a sequence of 512-byte blocks: a header block per member, the member's
 * data padded to whole blocks, and at least two zero blocks at the end.
 */
public final class TarReader {

    private static final int BLOCK = 512;

    private final InputStream input;
    private final byte[] header = new byte[BLOCK];
    private final Map<String, byte[]> globalPax = new HashMap<>();
    private long remaining;
    private long padding;

    public TarReader(InputStream input) {
        this.input = input;
    }

    /** The next member, or null at the end of the archive. Skips what is left of the previous one. */
    public TarEntry next() throws IOException {
        skipRest();
        Map<String, byte[]> pax = new LinkedHashMap<>(globalPax);
        String gnuLongName = null;
        String gnuLongLink = null;
        while (true) {
            if (!readHeader()) {
                return null;
            }
            char typeFlag = (char) header[156];
            long size = size(number(124, 12, "size", ustarName()), "header field size", ustarName());
            switch (typeFlag) {
                case 'x' -> pax.putAll(parsePax(readData(size), ustarName()));
                case 'g' -> {
                    Map<String, byte[]> global = parsePax(readData(size), ustarName());
                    globalPax.putAll(global);
                    pax.putAll(global);
                }
                case 'L' -> gnuLongName = cString(readData(size), 0, (int) size);
                case 'K' -> gnuLongLink = cString(readData(size), 0, (int) size);
                default -> {
                    return entry(typeFlag, size, pax, gnuLongName, gnuLongLink);
                }
            }
        }
    }

    /** The data of the current regular-file member; reads end at the member's end. */
    public InputStream content() {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (remaining == 0) {
                    return -1;
                }
                int count = input.read(buffer, offset, (int) Math.min(length, remaining));
                if (count < 0) {
                    throw new EOFException("tar archive ends inside a member's data");
                }
                remaining -= count;
                return count;
            }
        };
    }

    private TarEntry entry(char typeFlag, long size, Map<String, byte[]> pax, String gnuLongName, String gnuLongLink)
            throws IOException {
        TarEntry.Type type = switch (typeFlag) {
            case '0', '\0', '7' -> TarEntry.Type.REGULAR;
            case '1' -> TarEntry.Type.HARD_LINK;
            case '2' -> TarEntry.Type.SYMLINK;
            case '3' -> TarEntry.Type.CHARACTER_DEVICE;
            case '4' -> TarEntry.Type.BLOCK_DEVICE;
            case '5' -> TarEntry.Type.DIRECTORY;
            case '6' -> TarEntry.Type.FIFO;
            default ->
                throw new IOException("tar entry '" + paxString(pax, "path", ustarName()) + "': member type '"
                        + typeFlag + "' is not supported in a layer");
        };
        String name = paxString(pax, "path", gnuLongName != null ? gnuLongName : ustarName());
        String linkName = paxString(pax, "linkpath", gnuLongLink != null ? gnuLongLink : cString(header, 157, 100));
        long memberSize = pax.containsKey("size") ? size(paxWhole(pax, "size", name), "pax size", name) : size;
        long uid = id(pax.containsKey("uid") ? paxWhole(pax, "uid", name) : number(108, 8, "uid", name), "uid", name);
        long gid = id(pax.containsKey("gid") ? paxWhole(pax, "gid", name) : number(116, 8, "gid", name), "gid", name);
        long mtimeSeconds = number(136, 12, "mtime", name);
        long mtimeNanos = 0;
        if (pax.containsKey("mtime")) {
            BigDecimal mtime = paxTime(pax, "mtime", name);
            // Whole seconds rounded down, so the nanoseconds are 0 to 999999999 as utimensat(2)
            // wants them, also before 1970: -1.5 is -2 s and 500000000 ns.
            mtimeSeconds = mtime.setScale(0, RoundingMode.FLOOR).longValue();
            mtimeNanos = mtime.subtract(BigDecimal.valueOf(mtimeSeconds))
                    .movePointRight(9)
                    .longValue();
        }
        var xattrs = new LinkedHashMap<String, byte[]>();
        for (var record : pax.entrySet()) {
            String key = record.getKey();
            if (key.startsWith("SCHILY.xattr.")) {
                xattrs.put(key.substring("SCHILY.xattr.".length()), record.getValue());
            } else if (key.startsWith("LIBARCHIVE.xattr.")) {
                // libarchive's form: the name URL-encoded, the value base64.
                xattrs.put(
                        java.net.URLDecoder.decode(key.substring("LIBARCHIVE.xattr.".length()), StandardCharsets.UTF_8),
                        base64(record.getValue(), key, name));
            }
        }
        remaining = type == TarEntry.Type.REGULAR ? memberSize : 0;
        long dataSize = type == TarEntry.Type.REGULAR ? memberSize : skippedDataSize(type, size);
        padding = (BLOCK - dataSize % BLOCK) % BLOCK + (dataSize - remaining);
        return new TarEntry(
                name,
                type,
                (int) (number(100, 8, "mode", name) & 07777),
                uid,
                gid,
                memberSize,
                mtimeSeconds,
                mtimeNanos,
                linkName,
                device(number(329, 8, "devmajor", name), "devmajor", name),
                device(number(337, 8, "devminor", name), "devminor", name),
                Map.copyOf(xattrs));
    }

    /** Members other than regular files carry no data, but a header may still state a size (hard links in old tars). */
    private static long skippedDataSize(TarEntry.Type type, long size) {
        return type == TarEntry.Type.HARD_LINK || type == TarEntry.Type.DIRECTORY ? 0 : size;
    }

    /** Reads a header block; false at the end-of-archive zero block or a clean end of stream. */
    private boolean readHeader() throws IOException {
        int read = input.readNBytes(header, 0, BLOCK);
        if (read == 0) {
            return false;
        }
        if (read < BLOCK) {
            throw new EOFException("tar archive ends inside a header");
        }
        boolean zero = true;
        for (byte b : header) {
            zero &= b == 0;
        }
        if (zero) {
            return false;
        }
        verifyChecksum();
        return true;
    }

    /** The header checksum: the sum of its bytes with the checksum field itself read as spaces. */
    private void verifyChecksum() throws IOException {
        long stored;
        try {
            stored = number(148, 8, "checksum", "");
        } catch (IOException notOctal) {
            throw new IOException("not a tar archive, or a corrupt one: the header checksum is not a number");
        }
        long unsigned = 0;
        long signed = 0;
        for (int i = 0; i < BLOCK; i++) {
            byte b = i >= 148 && i < 156 ? (byte) ' ' : header[i];
            unsigned += b & 0xff;
            signed += b;
        }
        if (stored != unsigned && stored != signed) {
            throw new IOException("not a tar archive, or a corrupt one: header checksum mismatch");
        }
    }

    /** ustar splits long names into prefix (155 bytes) and name (100 bytes); old GNU tar has no prefix. */
    private String ustarName() {
        String name = cString(header, 0, 100);
        boolean ustar = Arrays.equals(header, 257, 263, "ustar\0".getBytes(StandardCharsets.US_ASCII), 0, 6);
        String prefix = ustar ? cString(header, 345, 155) : "";
        return prefix.isEmpty() ? name : prefix + "/" + name;
    }

    private byte[] readData(long size) throws IOException {
        if (size > 1 << 20) {
            throw new IOException(
                    "tar entry '" + ustarName() + "': an extended header of " + size + " bytes is too large");
        }
        byte[] data = input.readNBytes((int) size);
        if (data.length < size) {
            throw new EOFException("tar archive ends inside an extended header");
        }
        input.skipNBytes((BLOCK - size % BLOCK) % BLOCK);
        return data;
    }

    private void skipRest() throws IOException {
        input.skipNBytes(remaining + padding);
        remaining = 0;
        padding = 0;
    }

    /**
     * A numeric header field of entry {@code entry}: octal digits (surrounded by spaces or NULs),
     * or, when the first byte has its high bit set, a big-endian base-256 number (the GNU and
     * star extension for values too large for octal; a first byte of 0xff makes it negative, in
     * two's complement). One that does not fit in 63 bits is refused rather than wrapped.
     */
    private long number(int offset, int length, String field, String entry) throws IOException {
        if ((header[offset] & 0x80) != 0) {
            boolean negative = header[offset] == (byte) 0xff;
            long value = negative ? -1 : header[offset] & 0x7f;
            for (int i = offset + 1; i < offset + length; i++) {
                if (value >> 55 != (negative ? -1 : 0)) {
                    throw new IOException(
                            "tar entry '" + entry + "': header field " + field + " is too large for 64 bits");
                }
                value = (value << 8) | (header[i] & 0xff);
            }
            return value;
        }
        long value = 0;
        int i = offset;
        int end = offset + length;
        while (i < end && (header[i] == ' ' || header[i] == 0)) {
            i++;
        }
        for (; i < end && header[i] != ' ' && header[i] != 0; i++) {
            if (header[i] < '0' || header[i] > '7') {
                throw new IOException("tar entry '" + entry + "': header field " + field + " is not an octal number");
            }
            value = value * 8 + header[i] - '0';
        }
        return value;
    }

    /** A size, in bytes: never negative (a negative one would turn reads and skips backwards). */
    private static long size(long value, String field, String entry) throws IOException {
        if (value < 0) {
            throw new IOException("tar entry '" + entry + "': " + field + " " + value + " is negative");
        }
        return value;
    }

    /** A user or group id: 0 to 2^32 - 2, what uid_t holds (-1, 2^32 - 1, means "no change" to chown(2)). */
    private static long id(long value, String field, String entry) throws IOException {
        if (value < 0 || value > 0xFFFF_FFFEL) {
            throw new IOException("tar entry '" + entry + "': " + field + " " + value + " is not a user or group id");
        }
        return value;
    }

    /** A device major or minor number: makedev(3) takes 32 bits of each. */
    private static int device(long value, String field, String entry) throws IOException {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IOException(
                    "tar entry '" + entry + "': header field " + field + " " + value + " is not a device number");
        }
        return (int) value;
    }

    /** A PAX record holding a whole decimal number ({@code size}, {@code uid}, {@code gid}). */
    private static long paxWhole(Map<String, byte[]> pax, String key, String entry) throws IOException {
        String text = ascii(pax.get(key));
        if (!text.matches("-?[0-9]+")) {
            throw new IOException(
                    "tar entry '" + entry + "': pax " + key + " '" + shortened(text) + "' is not a whole number");
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException tooLarge) {
            throw tooLarge(key, text, entry);
        }
    }

    /** A PAX time: decimal seconds with an optional fraction, "1700000000.123456789" (pax(1)). */
    private static BigDecimal paxTime(Map<String, byte[]> pax, String key, String entry) throws IOException {
        String text = ascii(pax.get(key));
        if (!text.matches("-?[0-9]+(\\.[0-9]+)?")) {
            throw new IOException(
                    "tar entry '" + entry + "': pax " + key + " '" + shortened(text) + "' is not a time in seconds");
        }
        // Bounded before BigDecimal reads it: a record may be a megabyte of digits.
        BigDecimal time = text.length() > 64 ? null : new BigDecimal(text);
        if (time == null
                || time.compareTo(BigDecimal.valueOf(Long.MIN_VALUE)) < 0
                || time.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw tooLarge(key, text, entry);
        }
        return time;
    }

    private static IOException tooLarge(String key, String text, String entry) {
        return new IOException(
                "tar entry '" + entry + "': pax " + key + " '" + shortened(text) + "' is too large for 64 bits");
    }

    private static byte[] base64(byte[] value, String key, String entry) throws IOException {
        try {
            return Base64.getDecoder().decode(ascii(value));
        } catch (IllegalArgumentException e) {
            throw new IOException("tar entry '" + entry + "': pax " + key + " is not base64: " + e.getMessage());
        }
    }

    /** A value as it goes into a one-line message: at most 40 characters of it. */
    private static String shortened(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "...";
    }

    /**
     * PAX records: {@code "<length> <key>=<value>\n"}, the length counting the whole record.
     * Values are kept as bytes.
     */
    private static Map<String, byte[]> parsePax(byte[] data, String entry) throws IOException {
        var records = new LinkedHashMap<String, byte[]>();
        int position = 0;
        while (position < data.length) {
            int space = position;
            while (space < data.length && data[space] != ' ') {
                space++;
            }
            int length;
            try {
                length = Integer.parseInt(new String(data, position, space - position, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                throw new IOException("tar entry '" + entry + "': its extended header has a malformed record length");
            }
            // Compared before adding: position + length could overflow an int.
            if (length <= 0 || length > data.length - position || data[position + length - 1] != '\n') {
                throw new IOException("tar entry '" + entry + "': its extended header has a malformed record");
            }
            int end = position + length;
            int equals = space + 1;
            while (equals < end && data[equals] != '=') {
                equals++;
            }
            if (equals >= end) {
                throw new IOException("tar entry '" + entry + "': an extended header record has no '='");
            }
            String key = new String(data, space + 1, equals - space - 1, StandardCharsets.UTF_8);
            records.put(key, Arrays.copyOfRange(data, equals + 1, end - 1));
            position = end;
        }
        return records;
    }

    private static String paxString(Map<String, byte[]> pax, String key, String fallback) {
        byte[] value = pax.get(key);
        return value == null ? fallback : new String(value, StandardCharsets.UTF_8);
    }

    private static String ascii(byte[] value) {
        return new String(value, StandardCharsets.US_ASCII).strip();
    }

    private static String cString(byte[] bytes, int offset, int length) {
        int end = offset;
        while (end < offset + length && end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, offset, end - offset, StandardCharsets.UTF_8);
    }
}
