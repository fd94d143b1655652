package dev.canal.images;

/**
 * One line of {@code canal images}.
 *
 * @param name    the image's name
 * @param id      its config digest
 * @param created when the image was built, as its config says (RFC 3339), or null
 * @param size    the uncompressed size of its layers in bytes
 */
public record ImageSummary(ImageReference name, Digest id, String created, long size) {}
