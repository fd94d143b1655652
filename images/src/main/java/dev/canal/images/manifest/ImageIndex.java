package dev.canal.images.manifest;

import dev.canal.images.ImageException;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An image index (image-index.md; Docker: manifest list): one manifest per platform, and in an
 * OCI image layout's {@code index.json} one entry per tagged image.
 */
public record ImageIndex(
        int schemaVersion, String mediaType, List<Descriptor> manifests, Map<String, String> annotations) {

    public ImageIndex {
        manifests = manifests == null ? List.of() : List.copyOf(manifests);
    }

    public static ImageIndex parse(byte[] json) {
        return ManifestJson.read(json, ImageIndex.class, "image index");
    }

    /**
     * The manifest for {@code wanted}: the first entry whose platform it accepts, as containerd's
     * platform matcher picks. Fails naming the platforms the index offers.
     */
    public Descriptor select(Platform wanted) {
        return manifests.stream()
                .filter(entry -> wanted.accepts(entry.platform()))
                .findFirst()
                .orElseThrow(() -> new ImageException("no manifest for " + wanted + " in the index; it offers "
                        + (manifests.isEmpty()
                                ? "nothing"
                                : manifests.stream()
                                        .map(entry -> entry.platform() == null
                                                ? "(no platform)"
                                                : entry.platform().toString())
                                        .collect(Collectors.joining(", ")))));
    }
}
