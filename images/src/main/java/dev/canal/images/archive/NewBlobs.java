package dev.canal.images.archive;

import dev.canal.images.Digest;
import dev.canal.images.store.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The blobs one import adds to the content store, so that a failed import can take exactly
 * those away again and leave the store as it found it.
 */
final class NewBlobs {

    private final ContentStore store;
    private final List<Digest> added = new ArrayList<>();

    NewBlobs(ContentStore store) {
        this.store = store;
    }

    /** Copies a file into the store, verified against {@code expected} when that is known (else null). */
    Digest copy(Path file, Digest expected) {
        if (expected != null && store.has(expected)) {
            return expected;
        }
        try (InputStream input = Files.newInputStream(file)) {
            return remember(store.copy(input, expected, expected == null ? -1 : Files.size(file)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Stores a document the import wrote itself. */
    Digest put(byte[] document) {
        Digest digest = Digest.of(document);
        return store.has(digest) ? digest : remember(store.put(document));
    }

    private Digest remember(Digest digest) {
        added.add(digest);
        return digest;
    }

    /** Deletes every blob this import added. */
    void rollback() {
        added.forEach(store::delete);
    }
}
