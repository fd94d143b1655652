/**
 * Images: a content-addressed store of OCI and Docker image blobs, layers unpacked once per diffID
 * and shared by every image and container that uses them, import from image archives, and pull
 * from registries over the OCI distribution API.
 */
package dev.canal.images;
