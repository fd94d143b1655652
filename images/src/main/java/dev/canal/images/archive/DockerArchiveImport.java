package dev.canal.images.archive;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.canal.images.Digest;
import dev.canal.images.ImageException;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import dev.canal.images.MediaTypes;
import dev.canal.images.manifest.Descriptor;
import dev.canal.images.manifest.ImageConfig;
import dev.canal.images.manifest.ImageManifest;
import dev.canal.images.manifest.ManifestJson;
import dev.canal.images.store.NewBlobs;
import java.util.ArrayList;
import java.util.List;

/**
 * Imports {@code docker save} output (the docker-archive format, moby's image/tarexport): a
 * {@code manifest.json} listing, per image, its config file, its tags and its layer tars,
 * lowest first. There is no image manifest in it, so one is written here: an OCI manifest over
 * the config and the layer files stored as they are.
 */
record DockerArchiveImport(ArchiveDirectory archive, ImageLibrary library, NewBlobs blobs) {

    /** One image in manifest.json; the names are Go's. */
    record Entry(
            @JsonProperty("Config") String config,
            @JsonProperty("RepoTags") List<String> repoTags,
            @JsonProperty("Layers") List<String> layers) {}

    /** Stores config, layers and a manifest for every image in the archive; returns what to register. */
    List<ImageLibrary.Registration> copy(ImageReference givenName) {
        Entry[] entries =
                ManifestJson.read(archive.read("manifest.json"), Entry[].class, "docker-archive manifest.json");
        var images = new ArrayList<ImageLibrary.Registration>();
        for (Entry entry : entries) {
            if (entry.config() == null || entry.layers() == null) {
                throw new ImageException("docker-archive manifest.json: an entry lacks 'Config' or 'Layers'");
            }
            Digest manifest = storeManifest(entry);
            List<ImageReference> names = givenName != null
                    ? List.of(givenName)
                    : entry.repoTags() == null
                            ? List.of()
                            : entry.repoTags().stream()
                                    .map(ImageReference::parse)
                                    .toList();
            if (names.isEmpty()) {
                throw new ImageException(
                        "docker-archive image " + entry.config() + " has no RepoTags; give a name to load it under");
            }
            names.forEach(name -> images.add(new ImageLibrary.Registration(name, manifest)));
        }
        return images;
    }

    private Digest storeManifest(Entry entry) {
        Digest configDigest = blobs.copy(archive.file(entry.config()), null);
        ImageConfig config = ImageConfig.parse(library.content().read(configDigest));
        var layers = new ArrayList<Descriptor>();
        for (int i = 0; i < entry.layers().size(); i++) {
            Digest layer = blobs.copy(archive.file(entry.layers().get(i)), null);
            // A layer tar stored uncompressed is its own diffID.
            boolean plain = i < config.rootfs().diffIds().size()
                    && config.rootfs().diffIds().get(i).equals(layer);
            layers.add(Descriptor.of(
                    plain ? MediaTypes.OCI_LAYER : MediaTypes.DOCKER_LAYER_GZIP,
                    layer,
                    library.content().size(layer)));
        }
        var manifest = new ImageManifest(
                2,
                MediaTypes.OCI_MANIFEST,
                Descriptor.of(
                        MediaTypes.DOCKER_CONFIG,
                        configDigest,
                        library.content().size(configDigest)),
                layers,
                null);
        return blobs.put(ManifestJson.write(manifest));
    }
}
