package dev.canal.images.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.images.Digest;
import dev.canal.images.ImageException;
import dev.canal.images.testing.StoreTree;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContentStoreTest {

    @TempDir
    Path root;

    private final byte[] content = "layer bytes".getBytes(StandardCharsets.UTF_8);

    @Test
    void aVerifiedBlobIsStoredUnderItsDigest() throws Exception {
        ContentStore store = ContentStore.open(root);
        Digest digest = Digest.of(content);
        try (BlobWriter writer = store.newBlob(digest, content.length)) {
            writer.write(content);
            assertEquals(digest, writer.commit());
        }
        assertTrue(store.has(digest));
        assertEquals(root.resolve("blobs/sha256/" + digest.hex()), store.blob(digest));
        assertArrayEquals(content, store.read(digest));
        assertEquals(List.of(digest), store.list());
        assertEquals(List.of(), List.of(Files.list(store.temporaryDirectory()).toArray()));
    }

    @Test
    void aSecondCopyOfABlobFindsItThereAndDoesNotClaimIt() throws Exception {
        ContentStore store = ContentStore.open(root);
        var first = new NewBlobs(store);
        var second = new NewBlobs(store);
        Digest digest = first.put(content);
        assertEquals(digest, second.put(content));
        assertEquals(List.of(digest), first.created());
        assertEquals(List.of(), second.created(), "it was there already: not this one's to take away");
        assertArrayEquals(content, store.read(digest));
        assertEquals(List.of(), List.of(Files.list(store.temporaryDirectory()).toArray()));
    }

    @Test
    void aBlobWhoseDigestDoesNotMatchLeavesNothing() throws Exception {
        ContentStore store = ContentStore.open(root);
        List<String> before = StoreTree.of(root);
        Digest claimed = Digest.of("something else".getBytes(StandardCharsets.UTF_8));
        var error = assertThrows(ImageException.class, () -> {
            try (BlobWriter writer = store.newBlob(claimed, content.length)) {
                writer.write(content);
                writer.commit();
            }
        });
        assertEquals(
                "blob " + claimed + " does not match its content, whose digest is " + Digest.of(content),
                error.getMessage());
        assertFalse(store.has(claimed));
        assertEquals(before, StoreTree.of(root));
    }

    @Test
    void aBlobLargerOrSmallerThanStatedIsRefused() throws Exception {
        ContentStore store = ContentStore.open(root);
        List<String> before = StoreTree.of(root);
        Digest digest = Digest.of(content);
        var tooLarge = assertThrows(ImageException.class, () -> {
            try (BlobWriter writer = store.newBlob(digest, 3)) {
                writer.write(content);
            }
        });
        assertEquals("blob " + digest + " is larger than its stated size of 3 bytes", tooLarge.getMessage());
        var tooSmall = assertThrows(ImageException.class, () -> {
            try (BlobWriter writer = store.newBlob(digest, 100)) {
                writer.write(content);
                writer.commit();
            }
        });
        assertEquals(
                "blob " + digest + " has " + content.length + " bytes, its descriptor says 100", tooSmall.getMessage());
        assertEquals(before, StoreTree.of(root));
    }

    @Test
    void anAbandonedWriterDeletesItsTemporaryFile() throws Exception {
        ContentStore store = ContentStore.open(root);
        try (BlobWriter writer = store.newBlob(null, -1)) {
            writer.write(content);
            assertEquals(1, Files.list(store.temporaryDirectory()).count());
        }
        assertEquals(0, Files.list(store.temporaryDirectory()).count());
        assertEquals(List.of(), store.list());
    }
}
