package dev.canal.images.archive;

import dev.canal.images.Digest;
import dev.canal.images.Image;
import dev.canal.images.ImageException;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import dev.canal.images.MediaTypes;
import dev.canal.images.layer.Compression;
import dev.canal.images.manifest.Descriptor;
import dev.canal.images.manifest.ImageConfig;
import dev.canal.images.manifest.ImageManifest;
import dev.canal.images.manifest.ManifestJson;
import dev.canal.images.store.NewBlobs;
import dev.canal.images.tar.TarReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.time.Instant;
import java.util.List;

/**
 * {@code canal import}: a plain root filesystem tarball (gzip, zstd or none) becomes a
 * one-layer image, like {@code docker import}. The tarball is stored as it is; its diffID is the
 * digest of its uncompressed content; the config says linux/amd64, and what to run only where
 * the import gives it ({@code docker import --change}).
 */
final class RootfsImport {

    private final ImageLibrary library;
    private final NewBlobs blobs;

    RootfsImport(ImageLibrary library, NewBlobs blobs) {
        this.library = library;
        this.blobs = blobs;
    }

    Image load(Path tarball, ImageReference name, ImageConfig.RunConfig runConfig) {
        requireEntries(tarball);
        Digest layer = blobs.copy(tarball, null);
        Digest diffId = uncompressedDigest(layer);
        String now = Instant.now().toString();
        var config = new ImageConfig(
                now,
                null,
                "amd64",
                "linux",
                null,
                runConfig,
                new ImageConfig.RootFs("layers", List.of(diffId)),
                List.of(new ImageConfig.History(now, "canal import " + tarball.getFileName(), null, null, null)));
        byte[] configJson = ManifestJson.write(config);
        Digest configDigest = blobs.put(configJson);
        var manifest = new ImageManifest(
                2,
                MediaTypes.OCI_MANIFEST,
                Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configJson.length),
                List.of(Descriptor.of(
                        layer.equals(diffId) ? MediaTypes.OCI_LAYER : MediaTypes.OCI_LAYER_GZIP,
                        layer,
                        library.content().size(layer))),
                null);
        return library.register(name, blobs.put(ManifestJson.write(manifest)));
    }

    /**
     * A root filesystem tarball holds at least one entry: an empty file, or one of nothing but
     * end-of-archive zero blocks, is no filesystem (as a layer it would be fine: Docker writes
     * such empty layers for instructions that change no file).
     */
    private static void requireEntries(Path tarball) {
        try (InputStream input = Compression.decompress(Files.newInputStream(tarball))) {
            if (new TarReader(input).next() == null) {
                throw new ImageException(tarball + " is not a tar archive of a root filesystem: it has no entries");
            }
        } catch (IOException e) {
            throw new ImageException(tarball + " is not a readable tar archive: " + e.getMessage(), e);
        }
    }

    private Digest uncompressedDigest(Digest blob) {
        try (InputStream stored = library.content().openBlob(blob);
                var digesting = new DigestInputStream(Compression.decompress(stored), Digest.newHash(Digest.SHA256))) {
            digesting.transferTo(java.io.OutputStream.nullOutputStream());
            return Digest.fromHash(Digest.SHA256, digesting.getMessageDigest().digest());
        } catch (IOException e) {
            throw new dev.canal.images.ImageException("cannot decompress the tarball: " + e.getMessage(), e);
        }
    }
}
