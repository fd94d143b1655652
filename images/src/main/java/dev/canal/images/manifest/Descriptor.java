package dev.canal.images.manifest;

import dev.canal.images.Digest;
import java.util.List;
import java.util.Map;

/**
 * A pointer to content (descriptor.md): its media type, digest and size, and in an index the
 * platform it is for. Everything an image is made of is reached through descriptors, and the
 * digest makes the pointer tamper-evident.
 */
public record Descriptor(
        String mediaType,
        Digest digest,
        long size,
        List<String> urls,
        Map<String, String> annotations,
        Platform platform) {

    /** The annotation an OCI layout's index.json uses for a tag (annotations.md). */
    public static final String REF_NAME = "org.opencontainers.image.ref.name";

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, null, null, null);
    }

    /** The value of annotation {@code key}, or null. */
    public String annotation(String key) {
        return annotations == null ? null : annotations.get(key);
    }
}
