package dev.canal.images.registry;

import dev.canal.images.Digest;
import dev.canal.images.ImageException;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import dev.canal.images.MediaTypes;
import dev.canal.images.manifest.Descriptor;
import dev.canal.images.manifest.ImageIndex;
import dev.canal.images.manifest.ImageManifest;
import dev.canal.images.manifest.ManifestJson;
import dev.canal.images.store.ContentStore;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code canal push NAME}: an image of the store into the repository its name names, in the
 * order the distribution spec requires, since a registry refuses a manifest whose blobs it does
 * not have:
 * <ol>
 *   <li>Every layer and config: {@code HEAD} whether the repository has it; if not, mount it from
 *       another repository of the same registry that an image of the store was pulled from or
 *       pushed to, else upload it ({@link BlobUpload}). A few at a time.</li>
 *   <li>For a multi-platform image whose index names only manifests the store has whole, each
 *       of them by its digest, then the index under the tag; otherwise the store's platform
 *       manifest under the tag (the store never had the other platforms' layers).</li>
 * </ol>
 * Documents go as the bytes they were stored as, with their own media type (OCI or Docker
 * schema2), so the digest a pull by this name resolves to is the one the store has. Except
 * uncompressed layers: they go gzip-compressed, in a new manifest ({@link GzipForPush}), and
 * the pushed name is then registered to that manifest, whose digest is the one a pull gets.
 */
public final class ImagePusher {

    private final ImageLibrary library;
    private final ContentStore store;
    private final PushOptions options;

    public ImagePusher(ImageLibrary library, PushOptions options) {
        this.library = library;
        this.store = library.content();
        this.options = options;
    }

    /** Pushes the image named {@code reference} to the registry and repository the name gives. */
    public PushResult push(ImageReference reference, PushProgress progress) {
        if (reference.tag() == null) {
            throw new ImageException("cannot push " + reference + ": push a name with a tag, not a digest");
        }
        String name = reference.toString();
        List<Digest> stored = manifestsToPush(
                library.registeredDigest(name), library.resolve(name).manifestDigest());
        var gzip = new GzipForPush(store);
        try {
            return push(reference, stored, gzip.documents(stored), progress);
        } catch (RuntimeException e) {
            gzip.discardCreated();
            throw e;
        }
    }

    /** Sends {@code manifests}, the {@code stored} documents with uncompressed layers compressed. */
    private PushResult push(
            ImageReference reference, List<Digest> stored, List<Digest> manifests, PushProgress progress) {
        var endpoint = RegistryEndpoint.of(reference.registry(), options.insecureRegistries());
        try (var client = RegistryClient.forPush(endpoint, options.credentials().find(reference.registry()))) {
            progress.pushing(reference);
            int sent = pushBlobs(client, reference, manifests, progress);
            for (Digest manifest : manifests) {
                byte[] document = store.read(manifest);
                boolean last = manifest.equals(manifests.getLast());
                client.putManifest(
                        reference.repository(),
                        last ? reference.tag() : manifest.toString(),
                        ManifestJson.mediaTypeOf(document),
                        document);
            }
            Digest top = manifests.getLast();
            if (!top.equals(stored.getLast())) {
                // The name now names what the registry has under it, as docker's RepoDigests do.
                library.register(reference, top);
            }
            long size = store.size(top);
            progress.finished(reference, top, size);
            return new PushResult(top, size, sent);
        }
    }

    /**
     * The documents to send, the one the tag will name last: an index with the manifests it
     * names before it, or one manifest.
     */
    private List<Digest> manifestsToPush(Digest registered, Digest platformManifest) {
        byte[] document = store.read(registered);
        if (!MediaTypes.isIndex(ManifestJson.mediaTypeOf(document))) {
            return List.of(registered);
        }
        var documents = new ArrayList<Digest>();
        for (Descriptor entry : ImageIndex.parse(document).manifests()) {
            if (!MediaTypes.isManifest(entry.mediaType()) || !isWhole(entry.digest())) {
                return List.of(platformManifest);
            }
            documents.add(entry.digest());
        }
        documents.add(registered);
        return documents;
    }

    /** Whether the manifest and everything it names are in the store. */
    private boolean isWhole(Digest manifest) {
        if (!store.has(manifest)) {
            return false;
        }
        ImageManifest image = ImageManifest.parse(store.read(manifest));
        return store.has(image.config().digest())
                && image.layers().stream().allMatch(layer -> store.has(layer.digest()));
    }

    /** Sends the layers and configs of {@code manifests}, each once; returns how many layers were uploaded. */
    private int pushBlobs(
            RegistryClient client, ImageReference reference, List<Digest> manifests, PushProgress progress) {
        var blobs = new LinkedHashMap<Digest, Descriptor>();
        var layers = new HashSet<Digest>();
        for (Digest manifest : manifests) {
            if (!MediaTypes.isManifest(ManifestJson.mediaTypeOf(store.read(manifest)))) {
                continue;
            }
            ImageManifest image = ImageManifest.parse(store.read(manifest));
            for (Descriptor layer : image.layers()) {
                if (isDistributable(layer) && blobs.putIfAbsent(layer.digest(), layer) == null) {
                    layers.add(layer.digest());
                    progress.preparing(layer.digest());
                }
            }
            blobs.putIfAbsent(image.config().digest(), image.config());
        }
        var sentLayers = new AtomicInteger();
        ParallelTransfers.run(
                blobs.values().stream()
                        .<Runnable>map(blob -> () -> {
                            boolean isLayer = layers.contains(blob.digest());
                            if (pushBlob(client, reference, blob, isLayer ? progress : PushProgress.NONE) && isLayer) {
                                sentLayers.incrementAndGet();
                            }
                        })
                        .toList(),
                options.concurrentUploads(),
                "canal-push-");
        return sentLayers.get();
    }

    /** One blob: found there, mounted or uploaded; true when uploaded. */
    private boolean pushBlob(RegistryClient client, ImageReference reference, Descriptor blob, PushProgress progress) {
        Digest digest = blob.digest();
        long size = store.size(digest);
        if (size != blob.size()) {
            throw new ImageException(
                    "blob " + digest + " has " + size + " bytes in the store, its manifest says " + blob.size());
        }
        if (client.hasBlob(reference.repository(), digest)) {
            progress.alreadyExists(digest);
            return false;
        }
        Optional<String> mountFrom = mountSource(reference, digest);
        boolean mounted = new BlobUpload(client, reference.repository(), digest, store.blob(digest), size)
                .mountOrUpload(mountFrom, options.chunkSize(), bytes -> progress.uploading(digest, bytes, size));
        if (mounted) {
            progress.mounted(digest, mountFrom.orElseThrow());
            return false;
        }
        progress.pushed(digest);
        return true;
    }

    /**
     * Another repository of the same registry that should have the blob: one an image of the
     * store containing it was pulled from or pushed to (docker keeps the same record, its
     * "v2 metadata"). If the registry no longer has it there, the mount becomes an upload.
     */
    private Optional<String> mountSource(ImageReference reference, Digest blob) {
        return library.namesHolding(blob).stream()
                .filter(name -> name.registry().equals(reference.registry())
                        && !name.repository().equals(reference.repository()))
                .map(ImageReference::repository)
                .findFirst();
    }

    /**
     * Layers that must not be copied between registries (Windows base layers, "foreign" in
     * Docker's terms) are left out, as docker leaves them: the manifest points at their URLs.
     */
    private static boolean isDistributable(Descriptor layer) {
        return !Set.of(MediaTypes.OCI_LAYER_NONDISTRIBUTABLE_GZIP, MediaTypes.DOCKER_LAYER_FOREIGN_GZIP)
                .contains(layer.mediaType());
    }
}
