package dev.canal.images.manifest;

import java.util.List;
import java.util.Map;

/**
 * An image manifest (manifest.md; Docker's schema2 has the same shape): the config blob and
 * the layer blobs, lowest layer first.
 */
public record ImageManifest(
        int schemaVersion,
        String mediaType,
        Descriptor config,
        List<Descriptor> layers,
        Map<String, String> annotations) {

    public ImageManifest {
        layers = layers == null ? List.of() : List.copyOf(layers);
    }

    public static ImageManifest parse(byte[] json) {
        ImageManifest manifest = ManifestJson.read(json, ImageManifest.class, "image manifest");
        if (manifest.config() == null) {
            throw new dev.canal.images.ImageException("image manifest: field 'config' is missing");
        }
        return manifest;
    }
}
