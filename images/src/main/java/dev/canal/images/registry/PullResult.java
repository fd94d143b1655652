package dev.canal.images.registry;

import dev.canal.images.Digest;
import dev.canal.images.Image;

/**
 * A finished pull.
 *
 * @param image              the image as registered, under the name pulled
 * @param digest             what the name resolved to in the registry (an index's digest for a
 *                           multi-platform image); {@code NAME@digest} pulls the same again
 * @param downloadedAnything false when every blob was already in the store
 */
public record PullResult(Image image, Digest digest, boolean downloadedAnything) {}
