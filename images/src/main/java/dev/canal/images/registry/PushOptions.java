package dev.canal.images.registry;

import java.util.Set;

/**
 * How to push: which registries may be spoken to over plain http, where credentials come from,
 * how many blobs to send at once and how large a blob may be to go in one request.
 *
 * @param insecureRegistries hosts ({@code myhost} or {@code myhost:5000}) spoken to over http;
 *                           loopback registries always are
 * @param credentials        per-registry credentials; {@link CredentialLookup#none()} for anonymous
 * @param concurrentUploads  blobs sent at once (dockerd's {@code max-concurrent-uploads} is 5)
 * @param chunkSize          a larger blob goes in {@code PATCH} requests of this many bytes
 */
public record PushOptions(
        Set<String> insecureRegistries, CredentialLookup credentials, int concurrentUploads, long chunkSize) {

    public static final int DEFAULT_CONCURRENT_UPLOADS = 5;
    /** Large enough that most layers go in one request, small enough that a retry is cheap. */
    public static final long DEFAULT_CHUNK_SIZE = 64L << 20;

    public PushOptions {
        insecureRegistries = Set.copyOf(insecureRegistries);
        if (concurrentUploads < 1) {
            throw new IllegalArgumentException("concurrentUploads: must be at least 1, was " + concurrentUploads);
        }
        if (chunkSize < 1) {
            throw new IllegalArgumentException("chunkSize: must be at least 1, was " + chunkSize);
        }
    }

    /** Anonymous, https except on loopback, five uploads at a time in 64 MiB chunks. */
    public static PushOptions defaults() {
        return new PushOptions(Set.of(), CredentialLookup.none(), DEFAULT_CONCURRENT_UPLOADS, DEFAULT_CHUNK_SIZE);
    }

    public PushOptions withInsecureRegistries(Set<String> registries) {
        return new PushOptions(registries, credentials, concurrentUploads, chunkSize);
    }

    public PushOptions withCredentials(CredentialLookup lookup) {
        return new PushOptions(insecureRegistries, lookup, concurrentUploads, chunkSize);
    }

    public PushOptions withChunkSize(long bytes) {
        return new PushOptions(insecureRegistries, credentials, concurrentUploads, bytes);
    }
}
