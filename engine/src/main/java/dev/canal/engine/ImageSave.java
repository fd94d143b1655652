package dev.canal.engine;

import dev.canal.images.Digest;
import dev.canal.images.Image;
import dev.canal.images.ImageLibrary;
import dev.canal.images.manifest.Descriptor;
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

public final class ImageSave {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ImageSave() {}

    public static void write(ImageLibrary library, List<String> images, OutputStream out) throws IOException {
        TarWriter tar = new TarWriter(out);
        Set<Digest> written = new LinkedHashSet<>();
        ArrayNode dockerManifest = JSON.createArrayNode();
        ObjectNode index = JSON.createObjectNode()
                .put("schemaVersion", 2)
                .put("mediaType", "application/vnd.oci.image.index.v1+json");
        ArrayNode manifests = index.putArray("manifests");
        long now = System.currentTimeMillis() / 1000L;
        tar.add("blobs/", (byte) 53, 493, 0L, 0L, 0L, now, null, null);
        tar.add("blobs/sha256/", (byte) 53, 493, 0L, 0L, 0L, now, null, null);

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
            descriptor
                    .putObject("annotations")
                    .put("io.containerd.image.name", image.name().toString())
                    .put(
                            "org.opencontainers.image.ref.name",
                            image.name().tag() == null ? "latest" : image.name().tag());
        }

        file(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}", now);
        file(tar, "index.json", JSON.writeValueAsString(index), now);
        file(tar, "manifest.json", JSON.writeValueAsString(dockerManifest), now);
        tar.finish();
    }

    private static String path(Digest digest) {
        return "blobs/sha256/" + digest.hex();
    }

    private static void blob(ImageLibrary library, TarWriter tar, Digest digest, Set<Digest> written, long now)
            throws IOException {
        if (written.add(digest)) {
            Path blob = library.content().blob(digest);

            try (InputStream content = Files.newInputStream(blob)) {
                tar.add(path(digest), (byte) 48, 292, 0L, 0L, Files.size(blob), now, null, content);
            }
        }
    }

    private static void file(TarWriter tar, String name, String text, long now) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        tar.add(name, (byte) 48, 292, 0L, 0L, bytes.length, now, null, new ByteArrayInputStream(bytes));
    }
}
