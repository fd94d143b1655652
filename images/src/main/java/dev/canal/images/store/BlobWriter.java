package dev.canal.images.store;

import dev.canal.images.Digest;
import dev.canal.images.ImageException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * One blob on its way into the {@link ContentStore}: bytes written here go to a temporary file
 * and through the digest at the same time, so the content is verified without reading it twice.
 * {@link #commit()} checks size and digest, flushes the file to disk and links it into place
 * with link(2), which is atomic: a reader sees the whole blob or none, and link(2) fails with
 * EEXIST when the blob is already there, so {@link #created()} knows whether this writer added
 * it or only found it (another import or pull may have stored the same content first). Only a
 * blob its import created may be taken away again when that import fails. {@link #close()}
 * without a commit deletes the temporary file, so a failed or abandoned download leaves nothing.
 *
 * <pre>{@code
 * try (BlobWriter blob = store.newBlob(digest, size)) {
 *     response.transferTo(blob);
 *     blob.commit();
 * }
 * }</pre>
 */
public final class BlobWriter extends OutputStream {

    private final ContentStore store;
    private final Digest expected;
    private final long expectedSize;
    private final Path temporary;
    private final FileChannel channel;
    private final OutputStream output;
    private final MessageDigest hash;
    private long written;
    private boolean finished;
    private boolean created;

    BlobWriter(ContentStore store, Path temporary, Digest expected, long expectedSize) throws IOException {
        this.store = store;
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.temporary = temporary;
        this.channel = FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        this.output = new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16);
        this.hash = Digest.newHash(expected == null ? Digest.SHA256 : expected.algorithm());
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (finished) {
            throw new IOException("blob writer for " + describe() + " is already closed");
        }
        if (expectedSize >= 0 && written + length > expectedSize) {
            // Stop an oversized download early instead of filling the disk first.
            throw new ImageException(
                    "blob " + describe() + " is larger than its stated size of " + expectedSize + " bytes");
        }
        hash.update(bytes, offset, length);
        output.write(bytes, offset, length);
        written += length;
    }

    /**
     * Whether {@link #commit()} put the blob into the store; false when it was there already,
     * stored before or by another process at the same time.
     */
    public boolean created() {
        return created;
    }

    /** Bytes written so far. */
    public long size() {
        return written;
    }

    /**
     * Verifies the size and digest, makes the blob durable and links it into the store unless it
     * is there already; returns its digest. On a mismatch the temporary file is deleted and the
     * store is unchanged.
     */
    public Digest commit() {
        if (finished) {
            throw new IllegalStateException("blob writer for " + describe() + " is already closed");
        }
        try {
            output.flush();
            channel.force(true);
            closeQuietly();
            Digest actual = Digest.fromHash(
                    hash.getAlgorithm().equals("SHA-256") ? Digest.SHA256 : Digest.SHA512, hash.digest());
            if (expectedSize >= 0 && written != expectedSize) {
                throw new ImageException(
                        "blob " + describe() + " has " + written + " bytes, its descriptor says " + expectedSize);
            }
            if (expected != null && !expected.equals(actual)) {
                throw new ImageException("blob " + expected + " does not match its content, whose digest is " + actual);
            }
            Path target = store.blob(actual);
            Files.createDirectories(target.getParent());
            try {
                Files.createLink(target, temporary);
                created = true;
            } catch (FileAlreadyExistsException alreadyStored) {
                // Same digest, same content: the blob that is there serves as well as this copy.
            }
            return actual;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store blob " + describe() + ": " + e.getMessage(), e);
        } finally {
            deleteTemporary();
        }
    }

    /** Abandons the blob unless it was committed: the temporary file is deleted. */
    @Override
    public void close() {
        if (!finished) {
            deleteTemporary();
        }
    }

    private void deleteTemporary() {
        closeQuietly();
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + temporary + ": " + e.getMessage(), e);
        }
    }

    private void closeQuietly() {
        finished = true;
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing after a failed write or after force(); the data is either committed or discarded.
        }
    }

    private String describe() {
        return expected == null ? "(being digested)" : expected.toString();
    }
}
