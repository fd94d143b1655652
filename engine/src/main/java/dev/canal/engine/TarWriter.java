package dev.canal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

final class TarWriter {
    private static final int BLOCK = 512;
    static final byte REGULAR = 48;
    static final byte SYMLINK = 50;
    static final byte DIRECTORY = 53;
    private final OutputStream out;

    TarWriter(OutputStream out) {
        this.out = out;
    }

    void add(
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
        if (nameBytes.length > 100 || linkBytes.length > 100) {
            StringBuilder records = new StringBuilder();
            if (nameBytes.length > 100) {
                records.append(paxRecord("path", name));
            }

            if (linkBytes.length > 100) {
                records.append(paxRecord("linkpath", link));
            }

            byte[] pax = records.toString().getBytes(StandardCharsets.UTF_8);
            this.writeHeader("PaxHeader", (byte) 120, 420, 0L, 0L, pax.length, mtime, new byte[0]);
            this.out.write(pax);
            this.pad(pax.length);
        }

        this.writeHeader(name, type, mode, uid, gid, type == 48 ? size : 0L, mtime, linkBytes);
        if (type == 48 && content != null) {
            long copied = content.transferTo(this.out);
            if (copied != size) {
                throw new IOException(name + " changed size while it was copied: " + copied + " bytes, not " + size);
            }

            this.pad(size);
        }
    }

    void finish() throws IOException {
        this.out.write(new byte[1024]);
        this.out.flush();
    }

    private static String paxRecord(String key, String value) {
        int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
        int length = body + Integer.toString(body).length();
        if (Integer.toString(length).length() != Integer.toString(body).length()) {
            length++;
        }

        return length + " " + key + "=" + value + "\n";
    }

    private void writeHeader(String name, byte type, int mode, long uid, long gid, long size, long mtime, byte[] link)
            throws IOException {
        byte[] header = new byte[512];
        byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(nameBytes, 0, header, 0, Math.min(100, nameBytes.length));
        octal(header, 100, 8, mode & 4095);
        octal(header, 108, 8, uid);
        octal(header, 116, 8, gid);
        octal(header, 124, 12, size);
        octal(header, 136, 12, mtime);
        header[156] = type;
        System.arraycopy(link, 0, header, 157, Math.min(100, link.length));
        System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, header, 257, 8);

        for (int i = 148; i < 156; i++) {
            header[i] = 32;
        }

        long sum = 0L;

        for (byte b : header) {
            sum += b & 0xFF;
        }

        octal(header, 148, 7, sum);
        this.out.write(header);
    }

    private static void octal(byte[] header, int offset, int length, long value) {
        String digits = Long.toOctalString(value);
        if (digits.length() > length - 1) {
            throw new IllegalArgumentException("tar: " + value + " does not fit in " + (length - 1) + " octal digits");
        }

        String padded = "0".repeat(length - 1 - digits.length()) + digits;
        System.arraycopy(padded.getBytes(StandardCharsets.US_ASCII), 0, header, offset, length - 1);
    }

    private void pad(long written) throws IOException {
        int rest = (int) (written % 512L);
        if (rest != 0) {
            this.out.write(new byte[512 - rest]);
        }
    }
}
