package dev.canal.images.registry;

import dev.canal.images.Digest;
import dev.canal.images.MediaTypes;
import dev.canal.images.manifest.Descriptor;
import dev.canal.images.manifest.ImageIndex;
import dev.canal.images.manifest.ImageManifest;
import dev.canal.images.manifest.ManifestJson;
import dev.canal.images.store.BlobWriter;
import dev.canal.images.store.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * The documents a push sends in place of those the store has: uncompressed layers (an imported
 * root filesystem, a loaded archive's plain tars) gzip-compressed, as {@code docker push} sends
 * them, since registries and clients expect compressed layers and a plain tar costs two to four
 * times the bytes on the wire. A manifest with such layers becomes a new manifest of the same
 * family naming the compressed blobs (OCI's {@code tar+gzip} or Docker schema2's
 * {@code tar.gzip}, sizes and digests of the compressed bytes); an index naming changed
 * manifests becomes a new index. The config, and so the diffIDs, stay as they are: a pull
 * decompresses each layer back to the same tar.
 *
 * <p>The compressed blobs and new documents go into the content store. The gzip stream is the
 * same for the same layer (GZIPOutputStream writes no file name and a zero time in its header),
 * so pushing the same image again, or under another name, produces the same digests.
 */
final class GzipForPush {

    private final ContentStore store;
    private final Map<Digest, Digest> replaced = new HashMap<>();
    private final List<Digest> created = new ArrayList<>();

    GzipForPush(ContentStore store) {
        this.store = store;
    }

    /**
     * {@code documents} (manifests, then the index naming them last, as ImagePusher orders
     * them) with every manifest that has uncompressed layers, and an index naming one, replaced.
     */
    List<Digest> documents(List<Digest> documents) {
        var sent = new ArrayList<Digest>();
        for (Digest document : documents) {
            byte[] json = store.read(document);
            String mediaType = ManifestJson.mediaTypeOf(json);
            Digest replacement = MediaTypes.isIndex(mediaType) ? index(json) : manifest(json);
            sent.add(replacement == null ? document : replacement);
            if (replacement != null) {
                replaced.put(document, replacement);
            }
        }
        return sent;
    }

    /** The manifest with compressed layers, or null if every layer already is compressed. */
    private Digest manifest(byte[] json) {
        ImageManifest manifest = ImageManifest.parse(json);
        if (manifest.layers().stream().noneMatch(GzipForPush::isUncompressed)) {
            return null;
        }
        String gzipType = MediaTypes.DOCKER_MANIFEST.equals(manifest.mediaType())
                ? MediaTypes.DOCKER_LAYER_GZIP
                : MediaTypes.OCI_LAYER_GZIP;
        List<Descriptor> layers = manifest.layers().stream()
                .map(layer -> isUncompressed(layer) ? compressed(layer, gzipType) : layer)
                .toList();
        return put(ManifestJson.write(new ImageManifest(
                manifest.schemaVersion(), manifest.mediaType(), manifest.config(), layers, manifest.annotations())));
    }

    /** The index naming the replaced manifests, or null if it names none. */
    private Digest index(byte[] json) {
        ImageIndex index = ImageIndex.parse(json);
        if (index.manifests().stream().noneMatch(entry -> replaced.containsKey(entry.digest()))) {
            return null;
        }
        List<Descriptor> entries = index.manifests().stream()
                .map(entry -> {
                    Digest replacement = replaced.get(entry.digest());
                    return replacement == null
                            ? entry
                            : new Descriptor(
                                    entry.mediaType(),
                                    replacement,
                                    store.size(replacement),
                                    entry.urls(),
                                    entry.annotations(),
                                    entry.platform());
                })
                .toList();
        return put(ManifestJson.write(
                new ImageIndex(index.schemaVersion(), index.mediaType(), entries, index.annotations())));
    }

    /**
     * Deletes what this instance added to the store, for a push that failed: the pushed name
     * was not registered to it, so nothing else refers to it. Blobs that were there before stay.
     */
    void discardCreated() {
        created.forEach(store::delete);
        created.clear();
    }

    private Digest put(byte[] document) {
        boolean existed = store.has(Digest.of(document));
        Digest digest = store.put(document);
        if (!existed) {
            created.add(digest);
        }
        return digest;
    }

    private static boolean isUncompressed(Descriptor layer) {
        return MediaTypes.OCI_LAYER.equals(layer.mediaType()) || MediaTypes.DOCKER_LAYER.equals(layer.mediaType());
    }

    /** The layer gzip-compressed into the store, with zlib's default level, as docker's own push. */
    private Descriptor compressed(Descriptor layer, String mediaType) {
        // Closing the gzip stream closes the writer, which after commit() keeps the blob.
        try (InputStream tar = store.openBlob(layer.digest());
                BlobWriter blob = store.newBlob(null, -1);
                var gzip = new GZIPOutputStream(blob, 1 << 16)) {
            tar.transferTo(gzip);
            gzip.finish();
            long size = blob.size();
            Digest digest = blob.commit();
            if (blob.created()) {
                created.add(digest);
            }
            return new Descriptor(mediaType, digest, size, layer.urls(), layer.annotations(), null);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot compress layer " + layer.digest() + " for the push: " + e.getMessage(), e);
        }
    }
}
