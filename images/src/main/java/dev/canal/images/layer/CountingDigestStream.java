package dev.canal.images.layer;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;

/** Digests and counts the bytes read through it: a layer's diffID and size in one pass. */
final class CountingDigestStream extends FilterInputStream {

    private final MessageDigest hash;
    private long count;

    CountingDigestStream(InputStream input, MessageDigest hash) {
        super(input);
        this.hash = hash;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            hash.update((byte) b);
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        if (read > 0) {
            hash.update(buffer, offset, read);
            count += read;
        }
        return read;
    }

    /** skip would bypass the digest, so it reads instead. */
    @Override
    public long skip(long n) throws IOException {
        byte[] buffer = new byte[(int) Math.min(n, 1 << 16)];
        int read = read(buffer, 0, buffer.length);
        return Math.max(read, 0);
    }

    long count() {
        return count;
    }

    byte[] digest() {
        return hash.digest();
    }
}
