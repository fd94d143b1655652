package dev.canal.images.registry;

import dev.canal.images.Digest;

/**
 * What a push stored under the tag.
 *
 * @param digest the manifest's digest, or the index's for a multi-platform image: what a pull by
 *               this name resolves to
 * @param size   the document's size in bytes
 * @param sentLayers how many layers were uploaded (not found there already, not mounted)
 */
public record PushResult(Digest digest, long size, int sentLayers) {}
