package dev.canal.images.store;

import dev.canal.images.Digest;
import dev.canal.images.ImageException;
import dev.canal.runtime.sys.OwnerOnly;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Content-addressed storage: every blob (manifest, index, config, compressed layer) is a file
 * named by the digest of its content, {@code <root>/blobs/sha256/<hex>}, the layout of an OCI
 * image layout's {@code blobs} directory. The same content is stored once however many images
 * refer to it, and a name can never point at the wrong content.
 *
 * <p>Blobs arrive through {@link #newBlob} (or {@link NewBlobs}, which remembers which it added),
 * written under {@code <root>/tmp} and linked into place once verified, so {@code blobs/} only
 * ever holds complete, verified files. Two processes storing the same blob at once both write
 * the same bytes; the first link puts it in place and the second finds it there.
 */
public final class ContentStore {

    /** The store a {@code canal} command uses unless told otherwise ({@code --root}). */
    public static final Path DEFAULT_ROOT = Path.of("/var/lib/canal");

    private final Path root;
    private final Path blobs;
    private final Path temporary;

    private ContentStore(Path root) {
        this.root = root;
        this.blobs = root.resolve("blobs");
        this.temporary = root.resolve("tmp");
    }

    /**
     * Opens the store at {@code root}, creating its directories if they do not exist yet. The
     * root is owner-only (0700; a wider one an older Canal made is tightened): below it are the
     * containers' configs, whose environments may hold secrets.
     */
    public static ContentStore open(Path root) {
        var store = new ContentStore(OwnerOnly.directory(root.toAbsolutePath().normalize()));
        try {
            Files.createDirectories(store.blobs.resolve(Digest.SHA256));
            Files.createDirectories(store.temporary);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the image store at " + root + ": " + e.getMessage(), e);
        }
        return store;
    }

    /** The store's top directory. */
    public Path root() {
        return root;
    }

    /** The directory for temporary files on the store's filesystem, so a link or rename into place is atomic. */
    public Path temporaryDirectory() {
        return temporary;
    }

    /** Where the blob {@code digest} is (or would be) stored. */
    public Path blob(Digest digest) {
        return blobs.resolve(digest.algorithm()).resolve(digest.hex());
    }

    /** Whether the blob is in the store. */
    public boolean has(Digest digest) {
        return Files.isRegularFile(blob(digest));
    }

    /**
     * A writer for a new blob. {@code expected} is the digest the content must have, or null to
     * compute it (then {@link BlobWriter#commit()} says what it was); {@code expectedSize} the
     * size in bytes, or -1 if unknown.
     */
    public BlobWriter newBlob(Digest expected, long expectedSize) {
        try {
            Path file = Files.createTempFile(temporary, "blob-", ".partial");
            return new BlobWriter(this, file, expected, expectedSize);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary blob in " + temporary + ": " + e.getMessage(), e);
        }
    }

    /** Stores a small document (a manifest or config) and returns its digest. */
    public Digest put(byte[] content) {
        return new NewBlobs(this).put(content);
    }

    /** Copies {@code content} into the store as blob {@code expected}, verifying it. */
    public Digest copy(InputStream content, Digest expected, long expectedSize) {
        return new NewBlobs(this).copy(content, expected, expectedSize);
    }

    /**
     * The whole content of a small blob (manifest, index, config), checked against its digest
     * again: the file could have been changed on disk since it was stored.
     */
    public byte[] read(Digest digest) {
        byte[] content;
        try {
            content = Files.readAllBytes(blob(digest));
        } catch (NoSuchFileException e) {
            throw new ImageException("blob " + digest + " is not in the store " + root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + digest + ": " + e.getMessage(), e);
        }
        Digest actual = Digest.fromHash(
                digest.algorithm(), Digest.newHash(digest.algorithm()).digest(content));
        if (!actual.equals(digest)) {
            throw new ImageException("blob " + digest + " in the store is corrupt: its content has digest " + actual);
        }
        return content;
    }

    /** A stream over a blob, for large layers; the caller verifies as it reads. */
    public InputStream openBlob(Digest digest) {
        try {
            return Files.newInputStream(blob(digest));
        } catch (NoSuchFileException e) {
            throw new ImageException("blob " + digest + " is not in the store " + root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + digest + ": " + e.getMessage(), e);
        }
    }

    /** Every blob in the store. */
    public List<Digest> list() {
        return DigestDirectories.list(blobs);
    }

    /** The size of a stored blob in bytes, for its descriptor. */
    public long size(Digest digest) {
        try {
            return Files.size(blob(digest));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stat blob " + digest + ": " + e.getMessage(), e);
        }
    }

    /** Removes a blob; nothing happens if it is not there. */
    public void delete(Digest digest) {
        try {
            Files.deleteIfExists(blob(digest));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete blob " + digest + ": " + e.getMessage(), e);
        }
    }
}
