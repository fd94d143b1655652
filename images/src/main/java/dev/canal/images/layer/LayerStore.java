package dev.canal.images.layer;

import dev.canal.images.Digest;
import dev.canal.images.ImageException;
import dev.canal.images.store.ContentStore;
import dev.canal.images.store.DigestDirectories;
import dev.canal.images.store.FileTrees;
import dev.canal.images.tar.TarReader;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Unpacked layers, one directory per diffID, shared by every image and container that uses
 * the layer: {@code <root>/layers/sha256/<diffID hex>/diff} holds the files, {@code size} the
 * layer's uncompressed size. Docker's overlay2 driver and containerd's overlay snapshotter keep
 * the same shape.
 *
 * <p>Each layer also gets a short name, {@code <root>/l/<12 hex digits>}, a symlink to its
 * {@code diff} directory: overlay mount options name every lower directory in one string that
 * must fit in a page (4096 bytes), and {@code l/0123456789ab} is 15 bytes where the full path
 * is over 100 (see {@code docs/union-filesystems.md}).
 *
 * <p>A layer is unpacked into a temporary directory and renamed into place once complete and
 * verified, so a layer directory is always whole; a failed unpack leaves nothing.
 */
public final class LayerStore {

    private static final int SHORT_NAME_LENGTH = 12;
    private static final int TAR_BUFFER = 1 << 17;

    private final ContentStore store;
    private final Path layers;
    private final Path links;
    private final AtomicInteger unpacks = new AtomicInteger();

    private LayerStore(ContentStore store) {
        this.store = store;
        this.layers = store.root().resolve("layers");
        this.links = store.root().resolve("l");
    }

    public static LayerStore open(ContentStore store) {
        var layerStore = new LayerStore(store);
        try {
            Files.createDirectories(layerStore.links);
            Files.createDirectories(layerStore.layers);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + layerStore.layers + ": " + e.getMessage(), e);
        }
        return layerStore;
    }

    /** The directory with the layer's files: what overlayfs gets as a lower directory. */
    public Path directory(Digest diffId) {
        return layerHome(diffId).resolve("diff");
    }

    /** The layer's short name relative to the store root, {@code l/<12 hex>}: a symlink to {@link #directory}. */
    public String shortName(Digest diffId) {
        return links.getFileName() + "/" + diffId.hex().substring(0, SHORT_NAME_LENGTH);
    }

    public boolean has(Digest diffId) {
        return Files.isDirectory(directory(diffId));
    }

    /** The layer's uncompressed size in bytes. */
    public long size(Digest diffId) {
        try {
            return Long.parseLong(
                    Files.readString(layerHome(diffId).resolve("size")).strip());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the size of layer " + diffId + ": " + e.getMessage(), e);
        }
    }

    /** How many layers this instance has unpacked (not found already unpacked): for tests and logs. */
    public int unpackCount() {
        return unpacks.get();
    }

    /**
     * Makes sure layer {@code diffId} is unpacked, from blob {@code blob} in the content store.
     * Returns false when it already was. The uncompressed stream must have digest
     * {@code diffId} and the blob its own digest, or nothing is kept.
     */
    public boolean unpack(Digest blob, Digest diffId) {
        if (has(diffId)) {
            ensureShortName(diffId);
            return false;
        }
        Path temporary = null;
        try {
            temporary = Files.createTempDirectory(store.temporaryDirectory(), "layer-");
            Path diff = Files.createDirectory(temporary.resolve("diff"));
            long size = unpackVerified(blob, diffId, diff);
            Files.writeString(temporary.resolve("size"), Long.toString(size));
            Files.createDirectories(layerHome(diffId).getParent());
            moveIntoPlace(temporary, layerHome(diffId));
            unpacks.incrementAndGet();
            ensureShortName(diffId);
            return true;
        } catch (IOException e) {
            throw new ImageException("layer " + diffId + ": " + e.getMessage(), e);
        } finally {
            if (temporary != null) {
                FileTrees.delete(temporary);
            }
        }
    }

    /**
     * One pass over the blob: decompressed, digested twice (blob and diffID; once when they are
     * the same, an uncompressed layer) and unpacked. The tar reader reads through a buffer of
     * {@value #TAR_BUFFER} bytes: its headers are 512 bytes and most members a few KiB, and
     * reads that small straight from the decompressor would each be a JNI call into zlib
     * too short for its fast path, and a digest update too short to amortise its call.
     */
    private long unpackVerified(Digest blob, Digest diffId, Path diff) throws IOException {
        String layer = "layer " + diffId.shortHex();
        boolean uncompressedBlob = blob.equals(diffId);
        try (InputStream compressed = store.openBlob(blob);
                var compressedDigest = uncompressedBlob
                        ? compressed
                        : new DigestInputStream(compressed, Digest.newHash(blob.algorithm()));
                var uncompressed = new CountingDigestStream(
                        Compression.decompress(compressedDigest), Digest.newHash(diffId.algorithm()))) {
            LayerUnpacker.unpack(new TarReader(new BufferedInputStream(uncompressed, TAR_BUFFER)), diff, layer);
            // The diffID covers the whole tar stream, end-of-archive blocks included.
            uncompressed.transferTo(OutputStream.nullOutputStream());
            if (compressedDigest instanceof DigestInputStream digested) {
                verifyBlob(blob, digested);
            }
            Digest actual = Digest.fromHash(diffId.algorithm(), uncompressed.digest());
            if (uncompressedBlob && !actual.equals(blob)) {
                throw corrupt(blob, actual);
            }
            if (!actual.equals(diffId)) {
                throw new ImageException("layer blob " + blob + " unpacks to content with digest " + actual
                        + ", but the image config says diffID " + diffId);
            }
            return uncompressed.count();
        }
    }

    private static void verifyBlob(Digest blob, DigestInputStream digested) throws IOException {
        digested.transferTo(OutputStream.nullOutputStream());
        Digest actual =
                Digest.fromHash(blob.algorithm(), digested.getMessageDigest().digest());
        if (!actual.equals(blob)) {
            throw corrupt(blob, actual);
        }
    }

    private static ImageException corrupt(Digest blob, Digest actual) {
        return new ImageException("layer blob " + blob + " in the store is corrupt: its content has digest " + actual);
    }

    /** rename(2) of a whole directory; if another process put the same layer there first, keep theirs. */
    private static void moveIntoPlace(Path temporary, Path target) throws IOException {
        try {
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | DirectoryNotEmptyException raced) {
            // Same diffID, same content: the other copy is as good as ours, which the caller deletes.
        }
    }

    /** Creates {@code l/<short>} if missing: a symlink made beside it and renamed into place. */
    private void ensureShortName(Digest diffId) {
        Path link = store.root().resolve(shortName(diffId));
        Path target = Path.of("..", "layers", diffId.algorithm(), diffId.hex(), "diff");
        try {
            if (Files.isSymbolicLink(link)) {
                if (!Files.readSymbolicLink(link).equals(target)) {
                    throw new ImageException(
                            "layer " + diffId + ": short name " + link + " already names another layer");
                }
                return;
            }
            Path temporary = links.resolve(
                    "." + link.getFileName() + "." + ProcessHandle.current().pid() + "."
                            + Thread.currentThread().threadId());
            Files.deleteIfExists(temporary);
            Files.createSymbolicLink(temporary, target);
            Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot create the short name of layer " + diffId + ": " + e.getMessage(), e);
        }
    }

    /** Every unpacked layer's diffID. */
    public List<Digest> list() {
        return DigestDirectories.list(layers);
    }

    /**
     * Deletes a layer: first renamed out of {@code layers/} (so it vanishes at once and whole),
     * then its short name and its files.
     */
    public void delete(Digest diffId) {
        try {
            Files.deleteIfExists(store.root().resolve(shortName(diffId)));
            if (!Files.exists(layerHome(diffId))) {
                return;
            }
            Path doomed = Files.createTempDirectory(store.temporaryDirectory(), "deleting-");
            Files.move(layerHome(diffId), doomed.resolve("layer"), StandardCopyOption.ATOMIC_MOVE);
            FileTrees.delete(doomed);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete layer " + diffId + ": " + e.getMessage(), e);
        }
    }

    private Path layerHome(Digest diffId) {
        return layers.resolve(diffId.algorithm()).resolve(diffId.hex());
    }
}
