package dev.canal.images.tar;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a POSIX tar archive (pax(1), ustar with pax extended headers): the format of
 * {@code docker cp} out of a container, of {@code docker save} and of the layers
 * {@code docker commit} and builds make ({@link dev.canal.images.layer.LayerDiff}). A name or link target longer than ustar's 100 bytes goes into a pax
 * {@code path} or {@code linkpath} record before its header.
 */
public final class TarWriter {

    private static final int BLOCK = 512;
    private static final int NAME_FIELD = 100;

    /** ustar's typeflag values. */
    public static final byte REGULAR = '0';

    public static final byte HARD_LINK = '1';
    public static final byte SYMLINK = '2';
    public static final byte DIRECTORY = '5';
    private static final byte PAX_HEADER = 'x';

    /** The permission bits with set-user-ID, set-group-ID and sticky: what a header's mode holds. */
    private static final int MODE_BITS = 07777;

    private static final int PAX_HEADER_MODE = 0644;

    private final OutputStream out;

    public TarWriter(OutputStream out) {
        this.out = out;
    }

    /**
     * Adds one member. {@code size} and {@code content} are a regular file's (others have no
     * data); {@code link} is a symlink's target, or for a hard link the earlier member it names (as
     * written), null otherwise. The content must be exactly
     * {@code size} bytes: a file that changed meanwhile would corrupt the archive.
     */
    public void add(
            String name,
            byte type,
            int mode,
            long uid,
            long gid,
            long size,
            long mtime,
            String link,
            InputStream content)
            throws IOException {
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        byte[] linkBytes = link == null ? new byte[0] : link.getBytes(StandardCharsets.UTF_8);
        if (nameBytes.length > NAME_FIELD || linkBytes.length > NAME_FIELD) {
            StringBuilder records = new StringBuilder();
            if (nameBytes.length > NAME_FIELD) {
                records.append(paxRecord("path", name));
            }
            if (linkBytes.length > NAME_FIELD) {
                records.append(paxRecord("linkpath", link));
            }
            byte[] pax = records.toString().getBytes(StandardCharsets.UTF_8);
            writeHeader("PaxHeader", PAX_HEADER, PAX_HEADER_MODE, 0, 0, pax.length, mtime, new byte[0]);
            out.write(pax);
            pad(pax.length);
        }
        writeHeader(name, type, mode, uid, gid, type == REGULAR ? size : 0, mtime, linkBytes);
        if (type == REGULAR && content != null) {
            long copied = content.transferTo(out);
            if (copied != size) {
                throw new IOException(name + " changed size while it was copied: " + copied + " bytes, not " + size);
            }
            pad(size);
        }
    }

    /** Ends the archive with the two zero blocks tar expects. */
    public void finish() throws IOException {
        out.write(new byte[2 * BLOCK]);
        out.flush();
    }

    /**
     * One pax record, "LENGTH KEY=VALUE\n", where LENGTH counts the whole record including its
     * own digits: when adding them makes the number one digit longer, it grows by one more.
     */
    private static String paxRecord(String key, String value) {
        int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
        int length = body + Integer.toString(body).length();
        if (Integer.toString(length).length() != Integer.toString(body).length()) {
            length++;
        }
        return length + " " + key + "=" + value + "\n";
    }

    /** A ustar header block; names over 100 bytes are cut here, the pax record carries them whole. */
    private void writeHeader(String name, byte type, int mode, long uid, long gid, long size, long mtime, byte[] link)
            throws IOException {
        byte[] header = new byte[BLOCK];
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(nameBytes, 0, header, 0, Math.min(NAME_FIELD, nameBytes.length));
        octal(header, 100, 8, mode & MODE_BITS);
        octal(header, 108, 8, uid);
        octal(header, 116, 8, gid);
        octal(header, 124, 12, size);
        octal(header, 136, 12, mtime);
        header[156] = type;
        System.arraycopy(link, 0, header, 157, Math.min(NAME_FIELD, link.length));
        // magic "ustar\0" and version "00".
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 8);
        // The checksum is the sum of the header's bytes with its own field read as eight spaces.
        for (int i = 148; i < 156; i++) {
            header[i] = ' ';
        }
        long sum = 0;
        for (byte b : header) {
            sum += b & 0xFF;
        }
        octal(header, 148, 7, sum);
        out.write(header);
    }

    /** {@code value} as zero-padded octal digits filling the field but for its terminating NUL. */
    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > length - 1) {
            throw new IllegalArgumentException("tar: " + value + " does not fit in " + (length - 1) + " octal digits");
        }
        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, header, offset, length - 1);
    }

    /** Zeros up to the next block boundary after {@code written} bytes of data. */
    private void pad(long written) throws IOException {
        int rest = (int) (written % BLOCK);
        if (rest != 0) {
            out.write(new byte[BLOCK - rest]);
        }
    }
}
