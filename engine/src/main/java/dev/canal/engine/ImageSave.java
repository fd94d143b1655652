package dev.canal.engine;

import dev.canal.images.Digest;
import dev.canal.images.Image;
import dev.canal.images.ImageLibrary;
import dev.canal.images.manifest.Descriptor;
import dev.canal.images.tar.TarWriter;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docker save}: images as one tar archive in the layout docker 25 and later write, which
 * is two formats at once: an OCI image layout (oci-layout, index.json, blobs/sha256/...; the
 * OCI image-layout spec) for OCI tools, and docker's older manifest.json naming the same blobs,
 * for {@code docker load} of any version. Each blob is written once however many images share it.
 */
public final class ImageSave {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int DIRECTORY_MODE = 0755;
    private static final int FILE_MODE = 0444;
    private static final String OCI_LAYOUT = """
            {"imageLayoutVersion":"1.0.0"}""";

    private ImageSave() {}

    public static void write(ImageLibrary library, List<String> images, OutputStream out) throws IOException {
        TarWriter tar = new TarWriter(out);
        Set<Digest> written = new LinkedHashSet<>();
        ArrayNode dockerManifest = JSON.createArrayNode();
        ObjectNode index = JSON.createObjectNode()
                .put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode manifests = index.putArray("manifests");
        long now = System.currentTimeMillis() / 1000;
        directory(tar, "blobs/", now);
        directory(tar, "blobs/sha256/", now);
        for (String name : images) {
            Image image = library.resolve(name);
            blob(library, tar, image.manifestDigest(), written, now);
            blob(library, tar, image.configDigest(), written, now);
            ArrayNode layers = JSON.createArrayNode();
            for (Descriptor layer : image.manifest().layers()) {
                blob(library, tar, layer.digest(), written, now);
                layers.add(path(layer.digest()));
            }
            ObjectNode entry = dockerManifest.addObject().put("Config", path(image.configDigest()));
            entry.putArray("RepoTags").add(image.name().familiarName());
            entry.set("Layers", layers);
            ObjectNode descriptor = manifests
                    .addObject()
                    .put("mediaType", "application/vnd.oci.image.manifest.v1+json")
                    .put("digest", image.manifestDigest().toString())
                    .put("size", Files.size(library.content().blob(image.manifestDigest())));
            // containerd's annotation carries the full name, which docker load restores; the
            // OCI one only the tag.
            descriptor
                    .putObject("annotations")
                    .put("io.containerd.image.name", image.name().toString())
                    .put(
                            "org.opencontainers.image.ref.name",
                            image.name().tag() == null ? "latest" : image.name().tag());
        }
        file(tar, "oci-layout", OCI_LAYOUT, now);
        file(tar, "index.json", JSON.writeValueAsString(index), now);
        file(tar, "manifest.json", JSON.writeValueAsString(dockerManifest), now);
        tar.finish();
    }

    /** Where the layout keeps a blob: blobs/ALGORITHM/HEX. */
    private static String path(Digest digest) {
        return "blobs/sha256/" + digest.hex();
    }

    private static void blob(ImageLibrary library, TarWriter tar, Digest digest, Set<Digest> written, long now)
            throws IOException {
        if (!written.add(digest)) {
            return;
        }
        Path blob = library.content().blob(digest);
        try (InputStream content = Files.newInputStream(blob)) {
            tar.add(path(digest), TarWriter.REGULAR, FILE_MODE, 0, 0, Files.size(blob), now, null, content);
        }
    }

    private static void directory(TarWriter tar, String name, long now) throws IOException {
        tar.add(name, TarWriter.DIRECTORY, DIRECTORY_MODE, 0, 0, 0, now, null, null);
    }

    private static void file(TarWriter tar, String name, String text, long now) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        tar.add(name, TarWriter.REGULAR, FILE_MODE, 0, 0, bytes.length, now, null, new ByteArrayInputStream(bytes));
    }
}
