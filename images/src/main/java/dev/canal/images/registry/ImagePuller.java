package dev.canal.images.registry;

import dev.canal.images.Image;
import dev.canal.images.ImageException;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import dev.canal.images.manifest.Descriptor;
import dev.canal.images.manifest.ImageIndex;
import dev.canal.images.manifest.ImageManifest;
import dev.canal.images.store.BlobWriter;
import dev.canal.images.store.ContentStore;
import dev.canal.images.store.NewBlobs;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code canal pull}: from a name to a registered image.
 * <ol>
 *   <li>Resolve the name to a manifest; for an index pick the library's platform's manifest and
 *       fetch it by digest (the choice fails naming the platforms offered).</li>
 *   <li>Download the config and the layers the store lacks, a few at a time, each streamed
 *       through a {@link BlobWriter} that checks size and digest before the blob is renamed into
 *       the store.</li>
 *   <li>Store the manifest (and index), only now that everything they name is there, then
 *       {@link ImageLibrary#register} unpacks the layers and records the name.</li>
 * </ol>
 * A failure anywhere leaves the store as it was: the writer deletes a partial blob's temporary
 * file, and the blobs this pull created are {@linkplain ImageLibrary#discard discarded}, as a
 * failed import's are; a blob it found already stored (by another image) stays.
 */
public final class ImagePuller {

    private static final int BUFFER_SIZE = 1 << 16;

    private final ImageLibrary library;
    private final ContentStore store;
    private final PullOptions options;

    public ImagePuller(ImageLibrary library, PullOptions options) {
        this.library = library;
        this.store = library.content();
        this.options = options;
    }

    /** Pulls {@code reference} and registers it under that name. */
    public PullResult pull(ImageReference reference, PullProgress progress) {
        var endpoint = RegistryEndpoint.of(reference.registry(), options.insecureRegistries());
        try (var client = new RegistryClient(endpoint, options.credentials().find(reference.registry()))) {
            var pull = new Pull(client, reference.repository(), progress);
            try {
                return pull.run(reference);
            } catch (RuntimeException e) {
                library.discard(pull.stored.created());
                throw e;
            }
        }
    }

    /** One pull from one repository: what it stored so far, for the rollback. */
    private final class Pull {

        private final RegistryClient client;
        private final String repository;
        private final PullProgress progress;
        private final NewBlobs stored;

        Pull(RegistryClient client, String repository, PullProgress progress) {
            this.stored = new NewBlobs(store);
            this.client = client;
            this.repository = repository;
            this.progress = progress;
        }

        PullResult run(ImageReference reference) {
            VerifiedManifest top = client.manifest(repository, reference.manifestReference());
            VerifiedManifest manifest = top.isIndex() ? platformManifest(top) : top;
            ImageManifest image = ImageManifest.parse(manifest.bytes());
            progress.pulling(reference);
            List<Descriptor> fetched = download(image);
            for (VerifiedManifest document : top == manifest ? List.of(manifest) : List.of(manifest, top)) {
                if (!store.has(document.digest())) {
                    stored.copy(new ByteArrayInputStream(document.bytes()), document.digest(), document.bytes().length);
                }
            }
            Image registered = library.register(reference, top.digest());
            image.layers().stream().filter(fetched::contains).forEach(layer -> progress.extracted(layer.digest()));
            boolean downloaded = !stored.created().isEmpty();
            progress.finished(reference, top.digest(), downloaded);
            return new PullResult(registered, top.digest(), downloaded);
        }

        /** The manifest an index names for the library's platform, fetched by its digest. */
        private VerifiedManifest platformManifest(VerifiedManifest index) {
            Descriptor chosen = ImageIndex.parse(index.bytes()).select(library.platform());
            VerifiedManifest manifest =
                    client.manifest(repository, chosen.digest().toString());
            if (manifest.isIndex()) {
                throw new RegistryException(
                        "the index entry for " + library.platform() + " is another index; Canal expects a manifest");
            }
            if (manifest.bytes().length != chosen.size()) {
                throw new RegistryException("manifest " + chosen.digest() + " has " + manifest.bytes().length
                        + " bytes, the index says " + chosen.size());
            }
            return manifest;
        }

        /**
         * Fetches the config and the missing layers, {@link PullOptions#concurrentDownloads()} at
         * a time; returns what was fetched. The first failure cancels the rest.
         */
        private List<Descriptor> download(ImageManifest image) {
            var missing = new ArrayList<Descriptor>();
            if (!store.has(image.config().digest())) {
                missing.add(image.config());
            }
            for (Descriptor layer : image.layers()) {
                if (store.has(layer.digest())
                        || missing.stream().anyMatch(d -> d.digest().equals(layer.digest()))) {
                    progress.alreadyExists(layer.digest());
                } else {
                    progress.waiting(layer.digest(), layer.size());
                    missing.add(layer);
                }
            }
            ParallelTransfers.run(
                    missing.stream()
                            .<Runnable>map(blob -> () -> fetchBlob(blob))
                            .toList(),
                    options.concurrentDownloads(),
                    "canal-pull-");
            return missing;
        }

        /** Streams one blob from the registry into the store, verified on the way. */
        private void fetchBlob(Descriptor blob) {
            if (blob.size() < 0) {
                throw new ImageException(
                        "blob " + blob.digest() + ": negative size " + blob.size() + " in the manifest");
            }
            try (BlobStream stream = client.blob(repository, blob.digest());
                    BlobWriter writer = store.newBlob(blob.digest(), blob.size())) {
                InputStream content = stream.content();
                byte[] buffer = new byte[BUFFER_SIZE];
                for (int n; (n = content.read(buffer)) > 0; ) {
                    writer.write(buffer, 0, n);
                    progress.downloading(blob.digest(), writer.size(), blob.size());
                }
                stored.commit(writer);
                progress.downloaded(blob.digest());
            } catch (IOException e) {
                throw new UncheckedIOException(
                        "downloading blob " + blob.digest() + " from "
                                + client.endpoint().authority() + ": " + RegistryHttp.rootMessage(e),
                        e);
            }
        }
    }
}
