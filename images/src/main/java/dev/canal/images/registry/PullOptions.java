package dev.canal.images.registry;

import java.util.Set;

/**
 * How to pull: which registries may be spoken to over plain http, where credentials come from,
 * and how many blobs to download at once. The platform is the {@code ImageLibrary}'s.
 *
 * @param insecureRegistries hosts ({@code myhost} or {@code myhost:5000}) spoken to over http;
 *                           loopback registries always are
 * @param credentials        per-registry credentials; {@link CredentialLookup#none()} for anonymous
 * @param concurrentDownloads blobs fetched at once (dockerd's {@code max-concurrent-downloads} is 3)
 */
public record PullOptions(Set<String> insecureRegistries, CredentialLookup credentials, int concurrentDownloads) {

    public static final int DEFAULT_CONCURRENT_DOWNLOADS = 3;

    public PullOptions {
        insecureRegistries = Set.copyOf(insecureRegistries);
        if (concurrentDownloads < 1) {
            throw new IllegalArgumentException("concurrentDownloads: must be at least 1, was " + concurrentDownloads);
        }
    }

    /** Anonymous, https except on loopback, three downloads at a time. */
    public static PullOptions defaults() {
        return new PullOptions(Set.of(), CredentialLookup.none(), DEFAULT_CONCURRENT_DOWNLOADS);
    }

    public PullOptions withInsecureRegistries(Set<String> registries) {
        return new PullOptions(registries, credentials, concurrentDownloads);
    }

    public PullOptions withCredentials(CredentialLookup lookup) {
        return new PullOptions(insecureRegistries, lookup, concurrentDownloads);
    }
}
