package dev.canal.images.archive;

import dev.canal.images.Digest;
import dev.canal.images.ImageException;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import dev.canal.images.MediaTypes;
import dev.canal.images.manifest.Descriptor;
import dev.canal.images.manifest.ImageIndex;
import dev.canal.images.manifest.ImageManifest;
import dev.canal.images.manifest.ManifestJson;
import dev.canal.images.store.NewBlobs;
import java.util.ArrayList;
import java.util.List;

/**
 * Imports from an OCI image layout (image-layout.md): an {@code oci-layout} file, an
 * {@code index.json} whose entries are the images, and {@code blobs/<alg>/<hex>}. Only the blobs
 * of the linux/amd64 image are copied into the store, each verified against its digest.
 *
 * <p>An entry is named by its {@code io.containerd.image.name} annotation (what docker and
 * containerd write), or by {@code org.opencontainers.image.ref.name}, which is often just a tag
 * ({@code latest}) and is then joined to the repository of the name the user gave.
 */
record OciLayoutImport(ArchiveDirectory archive, ImageLibrary library, NewBlobs blobs) {

    static final String CONTAINERD_NAME = "io.containerd.image.name";

    /** Copies the blobs of every image the layout names; returns what to register. */
    List<ImageLibrary.Registration> copy(ImageReference givenName) {
        ImageIndex index = ImageIndex.parse(archive.read("index.json"));
        var images = new ArrayList<ImageLibrary.Registration>();
        for (Descriptor entry : index.manifests()) {
            ImageReference name = nameOf(entry, givenName, index.manifests().size());
            if (name != null && (entry.platform() == null || library.platform().accepts(entry.platform()))) {
                copy(entry.digest(), 0);
                images.add(new ImageLibrary.Registration(name, entry.digest()));
            }
        }
        if (images.isEmpty() && givenName != null && !index.manifests().isEmpty()) {
            // Unnamed entries, one per platform: index.json itself is the image index.
            Descriptor chosen = index.select(library.platform());
            copy(chosen.digest(), 0);
            images.add(new ImageLibrary.Registration(givenName, chosen.digest()));
        }
        if (images.isEmpty()) {
            throw new ImageException(
                    "the OCI layout names no " + library.platform() + " image; give a name to load it under");
        }
        return images;
    }

    /**
     * A tag-only ref name ({@code base}) joins the given repository; otherwise the given name
     * names a layout's single image, and the annotations name the rest.
     */
    private static ImageReference nameOf(Descriptor entry, ImageReference givenName, int entries) {
        String refName = entry.annotation(Descriptor.REF_NAME);
        boolean tagOnly = refName != null && !refName.contains("/") && !refName.contains(":");
        if (tagOnly && entry.annotation(CONTAINERD_NAME) == null) {
            if (givenName == null) {
                throw new ImageException("the OCI layout names an image only by its tag '" + refName
                        + "'; give a repository name to load it under");
            }
            return givenName.withTag(refName);
        }
        if (givenName != null && entries == 1) {
            return givenName;
        }
        String full = entry.annotation(CONTAINERD_NAME);
        if (full != null) {
            return ImageReference.parse(full);
        }
        return refName == null ? null : ImageReference.parse(refName);
    }

    /** Copies a manifest or index and, for this platform, everything below it. */
    private void copy(Digest digest, int depth) {
        copyBlob(digest);
        byte[] document = library.content().read(digest);
        String mediaType = ManifestJson.mediaTypeOf(document);
        if (MediaTypes.isIndex(mediaType) && depth < 4) {
            copy(ImageIndex.parse(document).select(library.platform()).digest(), depth + 1);
        } else if (MediaTypes.isManifest(mediaType)) {
            ImageManifest manifest = ImageManifest.parse(document);
            copyBlob(manifest.config().digest());
            manifest.layers().forEach(layer -> copyBlob(layer.digest()));
        }
    }

    private void copyBlob(Digest digest) {
        String path = "blobs/" + digest.algorithm() + "/" + digest.hex();
        if (!library.content().has(digest) && !archive.has(path)) {
            throw new ImageException("the OCI layout has no blob " + digest);
        }
        blobs.copy(archive.file(path), digest);
    }
}
