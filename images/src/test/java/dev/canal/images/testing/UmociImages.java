package dev.canal.images.testing;

import dev.canal.images.Digest;
import dev.canal.images.MediaTypes;
import dev.canal.runtime.testing.BusyboxRootfs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Images built at test time in an OCI image layout with umoci, from Debian's busybox-static,
 * and pushed to a registry with skopeo: what a user's images look like, made by other tools.
 */
public final class UmociImages {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Path work;
    private final Path layout;

    public UmociImages(Path work) throws IOException, InterruptedException {
        this.work = work;
        this.layout = work.resolve("layout");
        Tools.run("umoci", "init", "--layout", layout.toString());
    }

    /** A one-layer linux/amd64 image: a busybox root filesystem, {@code sh} by default. */
    public void busybox(String tag) throws IOException, InterruptedException {
        Tools.run("umoci", "new", "--image", image(tag));
        Path bundle = unpack(tag);
        BusyboxRootfs.create(bundle.resolve("rootfs"));
        Tools.run("umoci", "repack", "--image", image(tag), bundle.toString());
        Tools.run(
                "umoci",
                "config",
                "--image",
                image(tag),
                "--os",
                "linux",
                "--architecture",
                "amd64",
                "--config.cmd",
                "/bin/sh");
    }

    /** {@code from}'s layers plus one holding {@code file} with {@code content}. */
    public void withFile(String from, String tag, String file, String content)
            throws IOException, InterruptedException {
        Path bundle = unpack(from);
        Path target = bundle.resolve("rootfs").resolve(file);
        Files.createDirectories(target.getParent());
        Files.writeString(target, content);
        Tools.run("umoci", "repack", "--image", image(tag), bundle.toString());
    }

    /** {@code from} relabelled as built for another architecture (the content stays amd64's). */
    public void forArchitecture(String from, String tag, String architecture) throws IOException, InterruptedException {
        Tools.run("umoci", "config", "--image", image(from), "--tag", tag, "--architecture", architecture);
    }

    /** An OCI index tagged {@code tag} over the manifests tagged {@code manifestTags}, each with its config's platform. */
    public void index(String tag, String... manifestTags) throws IOException {
        ArrayNode manifests = JSON.createArrayNode();
        for (String manifestTag : manifestTags) {
            ObjectNode descriptor = descriptorOf(manifestTag).deepCopy();
            descriptor.remove("annotations");
            JsonNode manifest =
                    JSON.readTree(blob(Digest.parse(descriptor.get("digest").asString())));
            JsonNode config = JSON.readTree(
                    blob(Digest.parse(manifest.get("config").get("digest").asString())));
            descriptor
                    .putObject("platform")
                    .put("architecture", config.get("architecture").asString())
                    .put("os", config.get("os").asString());
            manifests.add(descriptor);
        }
        ObjectNode index = JSON.createObjectNode().put("schemaVersion", 2).put("mediaType", MediaTypes.OCI_INDEX);
        index.set("manifests", manifests);
        byte[] bytes = JSON.writeValueAsBytes(index);
        Digest digest = Digest.of(bytes);
        Files.write(layout.resolve("blobs/sha256").resolve(digest.hex()), bytes);
        ObjectNode layoutIndex =
                (ObjectNode) JSON.readTree(layout.resolve("index.json").toFile());
        layoutIndex
                .withArrayProperty("manifests")
                .addObject()
                .put("mediaType", MediaTypes.OCI_INDEX)
                .put("digest", digest.toString())
                .put("size", bytes.length)
                .putObject("annotations")
                .put("org.opencontainers.image.ref.name", tag);
        JSON.writeValue(layout.resolve("index.json").toFile(), layoutIndex);
    }

    /** The digest of the manifest (or index) tagged {@code tag}. */
    public Digest digestOf(String tag) throws IOException {
        return Digest.parse(descriptorOf(tag).get("digest").asString());
    }

    /** The manifest tagged {@code tag}, as JSON. */
    public JsonNode manifest(String tag) throws IOException {
        return JSON.readTree(blob(digestOf(tag)));
    }

    /** The layer digests of the manifest tagged {@code tag}, lowest first. */
    public List<Digest> layers(String tag) throws IOException {
        var layers = new ArrayList<Digest>();
        manifest(tag)
                .get("layers")
                .forEach(layer -> layers.add(Digest.parse(layer.get("digest").asString())));
        return layers;
    }

    /**
     * Pushes {@code tag} to {@code destination} ({@code HOST:PORT/NAME:TAG}) with skopeo, as an
     * OCI image, or converted to Docker schema2 with {@code dockerSchema2}; an index with all
     * its manifests.
     */
    public void push(String tag, String destination, boolean dockerSchema2) throws IOException, InterruptedException {
        var command = new ArrayList<>(List.of("skopeo", "copy", "--quiet", "--all", "--dest-tls-verify=false"));
        if (dockerSchema2) {
            command.addAll(List.of("--format", "v2s2"));
        }
        command.addAll(List.of("oci:" + layout + ":" + tag, "docker://" + destination));
        Tools.run(command.toArray(String[]::new));
    }

    private ObjectNode descriptorOf(String tag) throws IOException {
        for (JsonNode descriptor :
                JSON.readTree(layout.resolve("index.json").toFile()).get("manifests")) {
            if (tag.equals(descriptor
                    .path("annotations")
                    .path("org.opencontainers.image.ref.name")
                    .asString(""))) {
                return (ObjectNode) descriptor;
            }
        }
        throw new IllegalArgumentException("no tag " + tag + " in " + layout);
    }

    private byte[] blob(Digest digest) throws IOException {
        return Files.readAllBytes(
                layout.resolve("blobs").resolve(digest.algorithm()).resolve(digest.hex()));
    }

    private Path unpack(String tag) throws IOException, InterruptedException {
        Path bundle = Files.createTempDirectory(work, "bundle-");
        Files.delete(bundle);
        Tools.run("umoci", "unpack", "--image", image(tag), bundle.toString());
        return bundle;
    }

    private String image(String tag) {
        return layout + ":" + tag;
    }
}
