package dev.canal.images.registry;

import dev.canal.images.Digest;
import dev.canal.images.ImageReference;

/**
 * What a pull reports as it goes, in {@code docker pull}'s terms. Called from several download
 * threads at once: implementations synchronize.
 */
public interface PullProgress {

    /** Reports nothing ({@code canal pull --quiet}). */
    PullProgress NONE = new PullProgress() {};

    /** The manifest was found; its layers follow. */
    default void pulling(ImageReference reference) {}

    /** A layer the store already has: not downloaded again. */
    default void alreadyExists(Digest layer) {}

    /** A layer that will be downloaded. */
    default void waiting(Digest layer, long size) {}

    /** Bytes of a layer received so far. */
    default void downloading(Digest layer, long received, long size) {}

    /** A layer was received whole and its digest matched. */
    default void downloaded(Digest layer) {}

    /** A layer was unpacked into the image's root filesystem. */
    default void extracted(Digest layer) {}

    /**
     * The image is registered under its name; {@code digest} is what the name resolved to (the
     * index's digest for a multi-platform image); {@code downloadedAnything} is false when every
     * blob was already in the store.
     */
    default void finished(ImageReference reference, Digest digest, boolean downloadedAnything) {}
}
