package dev.canal.images;

import dev.canal.images.manifest.Descriptor;
import dev.canal.images.manifest.ImageConfig;
import dev.canal.images.manifest.ImageManifest;
import dev.canal.images.manifest.ManifestJson;
import dev.canal.images.store.NewBlobs;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A new image on top of another: what {@code docker commit} and every build step make. The
 * child has its parent's layers and, unless the step changed no file, one more: a layer tar
 * stored uncompressed (its digest is its diffID; a push sends it as it is), then unpacked into
 * the layer store as a pulled one is. Its config is the parent's with the new run settings, the
 * layer's diffID and one more history entry (docker marks a step without a layer
 * {@code empty_layer}).
 *
 * @param parent    the image it builds on, or null for {@code FROM scratch}
 * @param layer     the layer tar, or null for a step that makes no layer
 * @param run       the child's run settings (Cmd, Env, ...)
 * @param createdBy the history's {@code created_by}: the instruction, as docker writes it
 * @param author    the config's and history's author, or null
 * @param comment   the history's comment, or null
 */
public record ImageCommit(
        Image parent, Path layer, ImageConfig.RunConfig run, String createdBy, String author, String comment) {

    /**
     * Stores the child's blobs and registers it under {@code name}, or by id only when
     * {@code name} is null. On failure the blobs this stored are taken away again.
     */
    public Image store(ImageLibrary library, ImageReference name) {
        var blobs = new NewBlobs(library.content());
        try {
            String now = Instant.now().toString();
            var diffIds = new ArrayList<Digest>(parent == null ? List.of() : parent.diffIds());
            var layers = new ArrayList<Descriptor>(
                    parent == null ? List.of() : parent.manifest().layers());
            if (layer != null) {
                Digest diffId = blobs.copy(layer, null);
                diffIds.add(diffId);
                layers.add(Descriptor.of(
                        MediaTypes.OCI_LAYER, diffId, library.content().size(diffId)));
            }
            var history = new ArrayList<ImageConfig.History>(
                    parent == null || parent.config().history() == null
                            ? List.of()
                            : parent.config().history());
            history.add(new ImageConfig.History(now, createdBy, author, comment, layer == null ? true : null));
            ImageConfig parentConfig = parent == null ? null : parent.config();
            var config = new ImageConfig(
                    now,
                    author,
                    parentConfig == null || parentConfig.architecture() == null
                            ? library.platform().architecture()
                            : parentConfig.architecture(),
                    parentConfig == null || parentConfig.os() == null
                            ? library.platform().os()
                            : parentConfig.os(),
                    parentConfig == null ? library.platform().variant() : parentConfig.variant(),
                    run,
                    new ImageConfig.RootFs("layers", diffIds),
                    history);
            byte[] configJson = ManifestJson.write(config);
            Digest configDigest = blobs.put(configJson);
            var manifest = new ImageManifest(
                    2,
                    MediaTypes.OCI_MANIFEST,
                    Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configJson.length),
                    layers,
                    null);
            return library.register(name, blobs.put(ManifestJson.write(manifest)));
        } catch (RuntimeException e) {
            library.discard(blobs.created());
            throw e;
        }
    }
}
