package dev.canal.images.archive;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.images.Digest;
import dev.canal.images.Image;
import dev.canal.images.ImageException;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import dev.canal.images.rootfs.ContainerLayers;
import dev.canal.images.rootfs.OverlayMount;
import dev.canal.images.testing.StoreTree;
import dev.canal.images.testing.TarBuilder;
import dev.canal.images.testing.Tools;
import dev.canal.runtime.testing.BusyboxRootfs;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Images built at test time from Debian's busybox-static with umoci (an OCI layout with a
 * busybox base and an app image on top that adds /hello and deletes /etc/group, a whiteout)
 * and converted with skopeo, loaded through every import path, mounted and run.
 */
@RequiresRoot
class ImageArchivesTest {

    @TempDir
    static Path fixtures;

    @TempDir
    Path root;

    private static Path layout;
    private static Path rootfs;
    private ContainerLayers containers;
    private final List<String> mounted = new ArrayList<>();

    @BeforeAll
    static void buildImages() throws Exception {
        rootfs = BusyboxRootfs.create(fixtures.resolve("rootfs"));
        layout = fixtures.resolve("layout");
        // umoci unpack/repack, not umoci insert: 0.4.7's insert writes truncated layer tars.
        Tools.run("umoci", "init", "--layout", layout.toString());
        Tools.run("umoci", "new", "--image", layout + ":base");
        Path base = fixtures.resolve("base-bundle");
        Tools.run("umoci", "unpack", "--image", layout + ":base", base.toString());
        Tools.run("cp", "-a", rootfs + "/.", base.resolve("rootfs").toString());
        Tools.run("umoci", "repack", "--image", layout + ":base", base.toString());
        Tools.run(
                "umoci",
                "config",
                "--image",
                layout + ":base",
                "--config.cmd",
                "/bin/sh",
                "--config.env",
                "FOO=bar",
                "--config.workingdir",
                "/root");
        Path app = fixtures.resolve("app-bundle");
        Tools.run("umoci", "unpack", "--image", layout + ":base", app.toString());
        Files.writeString(app.resolve("rootfs/hello"), "hello from a layer\n");
        Files.delete(app.resolve("rootfs/etc/group"));
        Tools.run("umoci", "repack", "--image", layout + ":app", app.toString());
        Files.createDirectory(fixtures.resolve("empty"));
    }

    @AfterEach
    void unmount() {
        if (containers != null) {
            mounted.forEach(containers::remove);
        }
    }

    private Path mount(ImageLibrary library, Image image) {
        containers = new ContainerLayers(library);
        String id = "test-" + UUID.randomUUID().toString().substring(0, 8);
        mounted.add(id);
        return containers.mount(image, id, OverlayMount.Upper.KEPT);
    }

    /** The mounted rootfs runs: busybox through chroot(1), reading a file from the app layer. */
    private static String runIn(Path rootfs, String command) throws Exception {
        Process process = new ProcessBuilder("chroot", rootfs.toString(), "/bin/sh", "-c", command)
                .redirectErrorStream(true)
                .start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), output);
        return output;
    }

    @Test
    void anOciLayoutDirectoryLoadsEveryTagSharingTheBaseLayer() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        List<Image> images = ImageArchives.load(library, layout, ImageReference.parse("test/bb"));
        assertEquals(
                List.of("test/bb:base", "test/bb:app"),
                images.stream().map(image -> image.name().familiarName()).toList());
        Image base = library.resolve("test/bb:base");
        Image app = library.resolve("test/bb:app");
        assertEquals(base.layerDirectories().getFirst(), app.layerDirectories().getFirst());
        assertEquals(2, library.layers().unpackCount(), "the busybox layer once, then the app's own");
        assertEquals(List.of("/bin/sh"), app.cmd());
        assertEquals(List.of("FOO=bar"), app.env());
        assertEquals("/root", app.workingDir());

        Path merged = mount(library, app);
        assertEquals("hello from a layer\n", runIn(merged, "cat /hello"));
        assertFalse(
                Files.exists(merged.resolve("etc/group"), LinkOption.NOFOLLOW_LINKS), "whited out in the top layer");
        assertTrue(Files.exists(merged.resolve("etc/passwd")));
        assertTrue(
                Files.exists(
                        library.layers().directory(base.diffIds().getFirst()).resolve("etc/group")),
                "the base layer keeps it");
    }

    @Test
    void anOciLayoutTarLoads() throws Exception {
        Path tar = fixtures.resolve("layout-" + UUID.randomUUID() + ".tar");
        Tools.run("tar", "-C", layout.toString(), "-cf", tar.toString(), ".");
        ImageLibrary library = ImageLibrary.open(root);
        ImageArchives.load(library, tar, ImageReference.parse("localhost:5000/bb"));
        assertEquals(
                "hello from a layer\n", runIn(mount(library, library.resolve("localhost:5000/bb:app")), "cat /hello"));
        assertEquals(
                List.of(),
                List.of(Files.list(library.content().temporaryDirectory()).toArray()),
                "the extracted copy is gone");
    }

    @Test
    void aDockerArchiveLoadsUnderItsRepoTags() throws Exception {
        Path archive = fixtures.resolve("docker-" + UUID.randomUUID() + ".tar");
        Tools.run("skopeo", "copy", "oci:" + layout + ":app", "docker-archive:" + archive + ":test/dock:1");
        ImageLibrary library = ImageLibrary.open(root);
        List<Image> images = ImageArchives.load(library, archive, null);
        assertEquals(
                List.of(ImageReference.parse("test/dock:1")),
                images.stream().map(Image::name).toList());
        Image image = library.resolve("test/dock:1");
        assertEquals(List.of("/bin/sh"), image.cmd());
        Path merged = mount(library, image);
        assertEquals("hello from a layer\n", runIn(merged, "cat /hello"));
        assertFalse(Files.exists(merged.resolve("etc/group"), LinkOption.NOFOLLOW_LINKS));
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain", "gzip", "zstd"})
    void aRootfsTarballImportsAsOneLayer(String compression) throws Exception {
        Path tarball = fixtures.resolve("rootfs-" + UUID.randomUUID() + ".tar");
        Tools.run("tar", "-C", rootfs.toString(), "-cf", tarball.toString(), ".");
        if (!compression.equals("plain")) {
            Tools.run(compression, "-q", tarball.toString());
            tarball = Path.of(tarball + (compression.equals("gzip") ? ".gz" : ".zst"));
        }
        ImageLibrary library = ImageLibrary.open(root);
        Image image = ImageArchives.importRootfs(library, tarball, ImageReference.parse("imported:" + compression));
        assertEquals(1, image.diffIds().size());
        assertEquals(List.of(), image.cmd());
        assertEquals("uid=0(root) gid=0(root)\n", runIn(mount(library, image), "id"));
    }

    @Test
    void aLayoutWithACorruptBlobIsRefusedAndLeavesNothing() throws Exception {
        Path copy = fixtures.resolve("corrupt-" + UUID.randomUUID());
        Tools.run("cp", "-a", layout.toString(), copy.toString());
        Image probe = ImageArchives.load(
                        ImageLibrary.open(fixtures.resolve("probe-" + UUID.randomUUID())),
                        layout,
                        ImageReference.parse("probe"))
                .getLast();
        Digest topLayer = probe.manifest().layers().getLast().digest();
        Files.write(copy.resolve("blobs/sha256/" + topLayer.hex()), "not the layer".getBytes(StandardCharsets.UTF_8));

        Path tarball = fixtures.resolve("other-" + UUID.randomUUID() + ".tar");
        Tools.run("tar", "-C", fixtures.resolve("empty").toString(), "-cf", tarball.toString(), ".");
        ImageLibrary library = ImageLibrary.open(root);
        ImageArchives.importRootfs(library, tarball, ImageReference.parse("test/other"));
        List<String> before = StoreTree.of(root);
        var error = assertThrows(
                ImageException.class, () -> ImageArchives.load(library, copy, ImageReference.parse("test/bad")));
        assertTrue(
                error.getMessage()
                        .startsWith("blob " + topLayer + " does not match its content, whose digest is sha256:"),
                error.getMessage());
        assertEquals(
                before,
                StoreTree.of(root),
                "no partial blob (the base layer copied first is gone again), layer or name");
        assertEquals(
                List.of("test/other:latest"),
                library.list().stream()
                        .map(summary -> summary.name().familiarName())
                        .toList());
    }

    /**
     * The attack of issue 19: a second archive names the config blob a loaded image uses, and a
     * layer path that leaves the archive. It must fail and take away only what it added itself;
     * before, it deleted the shared config and the first image could no longer be listed or run.
     */
    @Test
    void aFailedLoadLeavesTheBlobsOfLoadedImagesAlone() throws Exception {
        byte[] layer = Files.readAllBytes(rootfsTar());
        byte[] config = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[\""
                        + Digest.of(layer) + "\"]}}")
                .getBytes(StandardCharsets.UTF_8);
        Path good = dockerArchive("good", config, layer, "[\"layer.tar\"]");
        Path bad = dockerArchive("bad", config, layer, "[\"layer.tar\", \"../../etc/passwd\"]");
        ImageLibrary library = ImageLibrary.open(root);
        ImageArchives.load(library, good, null);
        List<Digest> blobs = library.content().list();
        List<String> before = StoreTree.of(root);

        var error = assertThrows(ImageException.class, () -> ImageArchives.load(library, bad, null));
        assertEquals(bad + ": path '../../etc/passwd' leaves the archive", error.getMessage());
        assertEquals(blobs, library.content().list(), "the shared config and layer blobs are still there");
        assertEquals(before, StoreTree.of(root), "and nothing of the failed load is left");
        assertEquals(
                List.of("good:latest"),
                library.list().stream()
                        .map(summary -> summary.name().familiarName())
                        .toList());
        assertEquals("uid=0(root) gid=0(root)\n", runIn(mount(library, library.resolve("good")), "id"));
    }

    private static Path rootfsTar() throws Exception {
        Path tarball = fixtures.resolve("rootfs-" + UUID.randomUUID() + ".tar");
        Tools.run("tar", "-C", rootfs.toString(), "-cf", tarball.toString(), ".");
        return tarball;
    }

    /** A docker-archive (docker save's format) of one image tagged {@code name}, its Layers as given. */
    private static Path dockerArchive(String name, byte[] config, byte[] layer, String layers) throws Exception {
        String configName = Digest.of(config).hex() + ".json";
        byte[] manifest = ("[{\"Config\":\"" + configName + "\",\"RepoTags\":[\"" + name + ":latest\"],\"Layers\":"
                        + layers + "}]")
                .getBytes(StandardCharsets.UTF_8);
        byte[] archive = new TarBuilder()
                .file("manifest.json", 0644, manifest)
                .file(configName, 0644, config)
                .file("layer.tar", 0644, layer)
                .build();
        return Files.write(fixtures.resolve(name + "-" + UUID.randomUUID() + ".tar"), archive);
    }

    @Test
    void aTarballThatIsNotATarLeavesNothing() throws Exception {
        Path junk = Files.writeString(fixtures.resolve("junk-" + UUID.randomUUID()), "x".repeat(2000));
        ImageLibrary library = ImageLibrary.open(root);
        List<String> before = StoreTree.of(root);
        var error = assertThrows(
                ImageException.class, () -> ImageArchives.importRootfs(library, junk, ImageReference.parse("junk")));
        assertTrue(
                error.getMessage().endsWith("not a tar archive, or a corrupt one: the header checksum is not a number"),
                error.getMessage());
        assertEquals(before, StoreTree.of(root));
    }

    /** An empty file, or nothing but end-of-archive blocks, plain or compressed, is no root filesystem. */
    @ParameterizedTest
    @ValueSource(strings = {"empty", "zero blocks", "gzip of zero blocks"})
    void aTarballWithNoEntriesIsRefusedAndLeavesNothing(String kind) throws Exception {
        byte[] content = switch (kind) {
            case "empty" -> new byte[0];
            case "zero blocks" -> new byte[10240];
            default -> {
                var gzipped = new java.io.ByteArrayOutputStream();
                try (var gzip = new java.util.zip.GZIPOutputStream(gzipped)) {
                    gzip.write(new byte[10240]);
                }
                yield gzipped.toByteArray();
            }
        };
        Path tarball = Files.write(fixtures.resolve("nothing-" + UUID.randomUUID() + ".tar"), content);
        ImageLibrary library = ImageLibrary.open(root);
        List<String> before = StoreTree.of(root);
        var error = assertThrows(
                ImageException.class, () -> ImageArchives.importRootfs(library, tarball, ImageReference.parse("none")));
        assertEquals(tarball + " is not a tar archive of a root filesystem: it has no entries", error.getMessage());
        assertEquals(before, StoreTree.of(root));
        assertEquals(List.of(), library.list());
    }

    @Test
    void somethingThatIsNoImageArchiveIsNamed() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        var error = assertThrows(ImageException.class, () -> ImageArchives.load(library, rootfs, null));
        assertEquals(
                rootfs + " is neither an OCI image layout (no oci-layout file) nor a docker-archive (no manifest.json)",
                error.getMessage());
        var tagOnly = assertThrows(ImageException.class, () -> ImageArchives.load(library, layout, null));
        assertEquals(
                "the OCI layout names an image only by its tag 'base'; give a repository name to load it under",
                tagOnly.getMessage());
    }
}
