package dev.canal.images.registry;

import dev.canal.images.Digest;
import dev.canal.images.ImageReference;

/**
 * What a push reports as it goes, in {@code docker push}'s terms, layer by layer (the config and
 * the manifests go unreported, as docker's do). Called from several upload threads at once:
 * implementations synchronize.
 */
public interface PushProgress {

    /** Reports nothing ({@code canal push --quiet}). */
    PushProgress NONE = new PushProgress() {};

    /** The push began; {@code docker push} says "The push refers to repository [NAME]". */
    default void pushing(ImageReference reference) {}

    /** A layer that will be checked, then mounted or sent. */
    default void preparing(Digest layer) {}

    /** The repository had the layer already: nothing was sent. */
    default void alreadyExists(Digest layer) {}

    /** The registry linked the layer from another of its repositories: nothing was sent. */
    default void mounted(Digest layer, String fromRepository) {}

    /** Bytes of a layer sent so far. */
    default void uploading(Digest layer, long sent, long size) {}

    /** The registry received the layer whole and its digest matched. */
    default void pushed(Digest layer) {}

    /** The manifest (or index) is stored under the tag: its digest and its size in bytes. */
    default void finished(ImageReference reference, Digest digest, long size) {}
}
