package dev.canal.images.archive;

import dev.canal.images.Digest;
import dev.canal.images.Image;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import dev.canal.images.MediaTypes;
import dev.canal.images.layer.Compression;
import dev.canal.images.manifest.Descriptor;
import dev.canal.images.manifest.ImageConfig;
import dev.canal.images.manifest.ImageManifest;
import dev.canal.images.manifest.ManifestJson;
import dev.canal.images.store.NewBlobs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.time.Instant;
import java.util.List;

/**
 * {@code canal import}: a plain root filesystem tarball (gzip, zstd or none) becomes a
 * one-layer image, like {@code docker import}. The tarball is stored as it is; its diffID is the
 * digest of its uncompressed content; the config says linux/amd64 and sets nothing to run.
 */
final class RootfsImport {

    private final ImageLibrary library;
    private final NewBlobs blobs;

    RootfsImport(ImageLibrary library, NewBlobs blobs) {
        this.library = library;
        this.blobs = blobs;
    }

    Image load(Path tarball, ImageReference name) {
        Digest layer = blobs.copy(tarball, null);
        Digest diffId = uncompressedDigest(layer);
        String now = Instant.now().toString();
        var config = new ImageConfig(
                now,
                null,
                "amd64",
                "linux",
                null,
                null,
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
