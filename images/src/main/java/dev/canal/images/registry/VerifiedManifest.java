package dev.canal.images.registry;

import dev.canal.images.Digest;
import dev.canal.images.MediaTypes;
import dev.canal.images.manifest.ManifestJson;
import java.util.Optional;

/**
 * A manifest or index as a registry sent it, checked: the bytes are exactly what the digest
 * names, so they are kept as they came. The checks are the distribution spec's ("the client
 * SHOULD verify the returned manifest digest") made mandatory:
 * <ul>
 *   <li>pulled by digest, the content must have that digest;</li>
 *   <li>a {@code Docker-Content-Digest} header must name the content's digest;</li>
 *   <li>the media type ({@code Content-Type}, or the document's {@code mediaType} field) must be
 *       one Canal asked for, and the two must agree when both are there.</li>
 * </ul>
 *
 * @param bytes the document
 * @param mediaType an OCI or Docker manifest or index media type
 * @param digest the digest of {@code bytes}
 */
public record VerifiedManifest(byte[] bytes, String mediaType, Digest digest) {

    /** Checks a response; {@code requested} is the digest it was pulled by, if it was. */
    static VerifiedManifest check(
            byte[] bytes, Optional<String> contentType, Optional<Digest> stated, Optional<Digest> requested) {
        String algorithm = requested.or(() -> stated).map(Digest::algorithm).orElse(Digest.SHA256);
        Digest actual = Digest.fromHash(algorithm, Digest.newHash(algorithm).digest(bytes));
        requested.filter(wanted -> !wanted.equals(actual)).ifPresent(wanted -> {
            throw new RegistryException(
                    "manifest " + wanted + " does not match its content, whose digest is " + actual);
        });
        stated.filter(header -> !header.equals(actual)).ifPresent(header -> {
            throw new RegistryException("manifest digest mismatch: the registry says " + header
                    + " (Docker-Content-Digest) but the content's digest is " + actual);
        });
        String fromDocument = ManifestJson.mediaTypeOf(bytes);
        String fromHeader = contentType.map(VerifiedManifest::withoutParameters).orElse(fromDocument);
        // Servers that do not know manifests (plain file servers) send a generic JSON type.
        String mediaType =
                fromHeader.equals("application/json") || fromHeader.equals("text/plain") ? fromDocument : fromHeader;
        if (!MediaTypes.isManifest(mediaType) && !MediaTypes.isIndex(mediaType)) {
            throw new RegistryException("unsupported manifest media type " + mediaType
                    + " (Canal reads OCI and Docker schema2 manifests and indexes)");
        }
        if (!mediaType.equals(fromDocument)) {
            throw new RegistryException("manifest media type mismatch: Content-Type is " + mediaType
                    + " but the document says " + fromDocument);
        }
        return new VerifiedManifest(bytes, mediaType, actual);
    }

    /** {@code application/json; charset=utf-8} to {@code application/json}. */
    private static String withoutParameters(String contentType) {
        int semicolon = contentType.indexOf(';');
        return (semicolon < 0 ? contentType : contentType.substring(0, semicolon)).strip();
    }

    /** Whether this is an index (a manifest list) rather than one image's manifest. */
    public boolean isIndex() {
        return MediaTypes.isIndex(mediaType);
    }
}
