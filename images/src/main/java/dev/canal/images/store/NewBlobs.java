package dev.canal.images.store;

import dev.canal.images.Digest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The blobs one import or pull adds to the content store: only those it {@linkplain
 * BlobWriter#created() created}, not those it found there already, so that a failed import
 * takes away exactly what it added and never a blob another image uses (the library's
 * {@code discard} also keeps any blob a registered image refers to). Safe to use from the
 * threads of one pull.
 */
public final class NewBlobs {

    private final ContentStore store;
    private final List<Digest> created = new ArrayList<>();

    public NewBlobs(ContentStore store) {
        this.store = store;
    }

    /** Copies a file into the store, verified against {@code expected} when that is known (else null). */
    public Digest copy(Path file, Digest expected) {
        if (expected != null && store.has(expected)) {
            return expected;
        }
        try (InputStream input = Files.newInputStream(file)) {
            return copy(input, expected, expected == null ? -1 : Files.size(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores a small document (a manifest or config) and returns its digest. */
    public Digest put(byte[] document) {
        return copy(new ByteArrayInputStream(document), null, document.length);
    }

    /**
     * Copies {@code content} into the store, verified against {@code expected} (null: computed)
     * and {@code expectedSize} (-1: unknown).
     */
    public Digest copy(InputStream content, Digest expected, long expectedSize) {
        try (BlobWriter writer = store.newBlob(expected, expectedSize)) {
            content.transferTo(writer);
            return commit(writer);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot store blob" + (expected == null ? "" : " " + expected) + ": " + e.getMessage(), e);
        }
    }

    /** Commits a blob written through {@code writer}, remembering it if it is new. */
    public Digest commit(BlobWriter writer) {
        Digest digest = writer.commit();
        if (writer.created()) {
            synchronized (created) {
                created.add(digest);
            }
        }
        return digest;
    }

    /** The blobs this import created so far, in the order it stored them. */
    public List<Digest> created() {
        synchronized (created) {
            return List.copyOf(created);
        }
    }
}
