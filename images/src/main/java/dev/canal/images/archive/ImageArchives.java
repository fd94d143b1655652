package dev.canal.images.archive;

import dev.canal.images.Image;
import dev.canal.images.ImageException;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import dev.canal.images.manifest.ImageConfig.RunConfig;
import dev.canal.images.store.NewBlobs;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code canal load} and {@code canal import}: images from files, copied into the content store
 * first and then registered together. Whatever fails, the blobs the import created are
 * {@linkplain ImageLibrary#discard discarded} and no name is recorded (the library rolls back the
 * layers it unpacked); blobs that were there before stay, whichever image uses them.
 */
public final class ImageArchives {

    private ImageArchives() {}

    /**
     * Loads an OCI image layout (directory or tar) or a {@code docker save} archive. The format
     * is recognised by its files: {@code oci-layout} or {@code manifest.json}. {@code name}
     * (may be null) names the image where the archive does not, or overrides a single image's name.
     */
    public static List<Image> load(ImageLibrary library, Path archive, ImageReference name) {
        var blobs = new NewBlobs(library.content());
        try (var files = ArchiveDirectory.open(archive, library.content().temporaryDirectory())) {
            List<ImageLibrary.Registration> images;
            if (files.has("oci-layout")) {
                images = new OciLayoutImport(files, library, blobs).copy(name);
            } else if (files.has("manifest.json")) {
                images = new DockerArchiveImport(files, library, blobs).copy(name);
            } else {
                throw new ImageException(
                        archive
                                + " is neither an OCI image layout (no oci-layout file) nor a docker-archive (no manifest.json)");
            }
            return library.registerAll(images);
        } catch (RuntimeException e) {
            library.discard(blobs.created());
            throw e;
        }
    }

    /** Imports a root filesystem tarball as a one-layer image named {@code name}, with nothing set to run. */
    public static Image importRootfs(ImageLibrary library, Path tarball, ImageReference name) {
        return importRootfs(library, tarball, name, null);
    }

    /**
     * Imports a root filesystem tarball as a one-layer image named {@code name} whose config is
     * {@code config} ({@code docker import --change}'s; null for none).
     */
    public static Image importRootfs(ImageLibrary library, Path tarball, ImageReference name, RunConfig config) {
        if (!java.nio.file.Files.isRegularFile(tarball)) {
            throw new ImageException(tarball + " is not a file");
        }
        var blobs = new NewBlobs(library.content());
        try {
            return new RootfsImport(library, blobs).load(tarball, name, config);
        } catch (RuntimeException e) {
            library.discard(blobs.created());
            throw e;
        }
    }
}
