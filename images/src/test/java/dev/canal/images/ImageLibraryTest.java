package dev.canal.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.images.manifest.Descriptor;
import dev.canal.images.manifest.ImageConfig;
import dev.canal.images.manifest.ImageIndex;
import dev.canal.images.manifest.ImageManifest;
import dev.canal.images.manifest.ManifestJson;
import dev.canal.images.manifest.Platform;
import dev.canal.images.store.NewBlobs;
import dev.canal.images.testing.StoreTree;
import dev.canal.images.testing.TarBuilder;
import dev.canal.images.testing.TestImages;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@RequiresRoot
class ImageLibraryTest {

    @TempDir
    Path root;

    private final byte[] base =
            new TarBuilder().directory("bin/", 0755).file("bin/base", "base").build();
    private final byte[] app1 = new TarBuilder().file("app", "one").build();
    private final byte[] app2 = new TarBuilder().file("app", "two").build();
    private final ImageConfig.RunConfig run = new ImageConfig.RunConfig(
            "1000:1000",
            null,
            List.of("PATH=/bin", "A=b"),
            List.of("/bin/sh", "-c"),
            List.of("echo hi"),
            null,
            "/work",
            null,
            null,
            null,
            null,
            null);

    @Test
    void twoImagesSharingABaseLayerUnpackItOnce() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        Image one = library.register(
                ImageReference.parse("test/one"),
                TestImages.store(library.content(), TestImages.Compression.GZIP, run, base, app1));
        Object inodeAfterFirst = Files.getAttribute(one.layerDirectories().getFirst(), "unix:ino");
        Image two = library.register(
                ImageReference.parse("localhost:5000/two:1.0"),
                TestImages.store(library.content(), TestImages.Compression.ZSTD, run, base, app2));

        assertEquals(3, library.layers().unpackCount(), "base once, each app layer once");
        assertEquals(one.layerDirectories().getFirst(), two.layerDirectories().getFirst());
        assertEquals(
                inodeAfterFirst,
                Files.getAttribute(two.layerDirectories().getFirst(), "unix:ino"),
                "the same directory, not a copy");
        assertEquals(3, library.layers().list().size());
    }

    /**
     * An image prune picks as moby's ImagesPrune: without {@code all} only a dangling image (no
     * name), and not one another image was built on, nor one a container uses; with {@code all}
     * named ones too, each losing every name. Only what the filters' predicate accepts goes.
     */
    @Test
    void pruneImagesTakesDanglingImagesButNotParentsOrThoseInUseAndWithAllNamedOnes() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        Image named = library.register(
                ImageReference.parse("test/base"),
                TestImages.store(library.content(), TestImages.Compression.GZIP, run, base));
        Path layer = root.resolve("layer.tar");
        Files.write(layer, app1);
        Image step = new ImageCommit(named, layer, run, "/bin/sh -c make one", null, null).store(library, null);
        Files.write(layer, app2);
        Image last = new ImageCommit(step, layer, run, "/bin/sh -c make two", null, null).store(library, null);
        Image used = library.register(
                null, TestImages.store(library.content(), TestImages.Compression.GZIP, run, app1, app2));
        library.tag(named.id().toString(), ImageReference.parse("test/base:also"));

        assertEquals(
                List.of(new ImageLibrary.PrunedImage(List.of(), last.id())),
                library.pruneImages(false, Set.of(used.id()), config -> true),
                "the step the last was built on and the one in use stay");
        assertFalse(library.content().has(last.manifestDigest()));
        assertEquals(
                List.of(new ImageLibrary.PrunedImage(List.of(), step.id())),
                library.pruneImages(false, Set.of(used.id()), config -> true),
                "the step has no child left");
        assertEquals(List.of(), library.pruneImages(true, Set.of(used.id()), config -> false));
        assertEquals(
                List.of(new ImageLibrary.PrunedImage(
                        List.of(ImageReference.parse("test/base"), ImageReference.parse("test/base:also")),
                        named.id())),
                library.pruneImages(true, Set.of(used.id()), config -> true));
        assertEquals(List.of(), library.list());
        assertEquals(used.id(), library.resolve(used.id().toString()).id());
        assertEquals(
                List.of(new ImageLibrary.PrunedImage(List.of(), used.id())),
                library.pruneImages(false, Set.of(), config -> true),
                "no container uses it any more");
        assertEquals(3, library.pruneLayersSized().size(), "base, app1 and app2");
        assertEquals(List.of(), library.content().list());
    }

    /**
     * A build step's image has no name: found by its id, not listed, named later by a tag; a
     * child made by ImageCommit has its parent's layers, one more, and one more history entry.
     */
    @Test
    void anImageKnownByIdOnlyIsFoundByIdAndAChildStacksOneLayer() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        Image parent =
                library.register(null, TestImages.store(library.content(), TestImages.Compression.GZIP, run, base));
        assertNull(parent.name());
        assertEquals(List.of(), library.list());
        assertEquals(parent.id(), library.resolve(parent.id().toString()).id());

        Path layer = root.resolve("layer.tar");
        Files.write(layer, app1);
        Image child = new ImageCommit(parent, layer, run, "/bin/sh -c make app", "builder", null).store(library, null);
        assertEquals(parent.diffIds().size() + 1, child.diffIds().size());
        assertEquals(
                parent.diffIds(), child.diffIds().subList(0, parent.diffIds().size()));
        assertEquals("one", Files.readString(child.layerDirectories().getLast().resolve("app")));
        assertEquals("/bin/sh -c make app", child.config().history().getLast().createdBy());
        assertEquals("builder", child.config().author());

        library.tag(child.id().toString(), ImageReference.parse("made:1"));
        assertEquals(
                List.of("docker.io/library/made:1"),
                library.list().stream().map(image -> image.name().toString()).toList());
    }

    @Test
    void anImageIsResolvedByNameOrIdWithItsConfig() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        Image registered = library.register(
                ImageReference.parse("test/app:v1"),
                TestImages.store(library.content(), TestImages.Compression.NONE, run, base, app1));
        Image byName = library.resolve("test/app:v1");
        assertEquals(registered.id(), byName.id());
        assertEquals(byName, library.resolve(registered.id().shortHex()));
        assertEquals(byName.id(), library.resolve(registered.id().toString()).id());
        assertEquals(List.of("/bin/sh", "-c"), byName.entrypoint());
        assertEquals(List.of("echo hi"), byName.cmd());
        assertEquals(List.of("/bin/sh", "-c", "echo hi"), byName.defaultCommand());
        assertEquals(List.of("PATH=/bin", "A=b"), byName.env());
        assertEquals("/work", byName.workingDir());
        assertEquals("1000:1000", byName.user());
        assertEquals(
                List.of(
                        library.layers().directory(Digest.of(base)),
                        library.layers().directory(Digest.of(app1))),
                byName.layerDirectories());
        assertEquals(
                "no such image: test/other",
                assertThrows(ImageException.class, () -> library.resolve("test/other"))
                        .getMessage());
        Image pinned = library.resolve("test/app@" + registered.manifestDigest());
        assertEquals(registered.id(), pinned.id());
    }

    @Test
    void anIndexResolvesToTheLinuxAmd64Manifest() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        Digest amd64 = TestImages.store(library.content(), TestImages.Compression.GZIP, run, base);
        byte[] armTar = new TarBuilder().file("arm", "arm").build();
        Digest arm = TestImages.storeManifest(
                library.content(), TestImages.config("arm64", run, List.of(Digest.of(armTar))), List.of());
        Digest index = library.content()
                .put(ManifestJson.write(new ImageIndex(
                        2,
                        MediaTypes.OCI_INDEX,
                        List.of(
                                new Descriptor(
                                        MediaTypes.OCI_MANIFEST, arm, 1, null, null, Platform.of("linux", "arm64")),
                                new Descriptor(
                                        MediaTypes.OCI_MANIFEST, amd64, 1, null, null, Platform.of("linux", "amd64"))),
                        null)));
        Image image = library.register(ImageReference.parse("test/multi"), index);
        assertEquals(amd64, image.manifestDigest());
    }

    @Test
    void aTagNamesTheSameImageAndKeepsWhatTheSourceWasRegisteredWith() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        Digest amd64 = TestImages.store(library.content(), TestImages.Compression.GZIP, run, base);
        Digest index = library.content()
                .put(ManifestJson.write(new ImageIndex(
                        2,
                        MediaTypes.OCI_INDEX,
                        List.of(new Descriptor(
                                MediaTypes.OCI_MANIFEST, amd64, 1, null, null, Platform.of("linux", "amd64"))),
                        null)));
        Image source = library.register(ImageReference.parse("test/multi"), index);

        Image tagged = library.tag("test/multi", ImageReference.parse("localhost:5000/copy:2"));

        assertEquals(source.id(), tagged.id());
        assertEquals(amd64, tagged.manifestDigest());
        assertEquals(index, library.registeredDigest("localhost:5000/copy:2"));
        assertEquals(
                List.of(ImageReference.parse("test/multi"), ImageReference.parse("localhost:5000/copy:2")),
                library.namesHolding(ImageManifest.parse(library.content().read(amd64))
                        .layers()
                        .getFirst()
                        .digest()));
        assertEquals(
                "no such image: test/none",
                assertThrows(ImageException.class, () -> library.tag("test/none", ImageReference.parse("x")))
                        .getMessage());
        assertEquals(
                "tag docker.io/test/multi@" + amd64 + ": a tag cannot name a digest",
                assertThrows(
                                ImageException.class,
                                () -> library.tag("test/multi", ImageReference.parse("test/multi@" + amd64)))
                        .getMessage());
    }

    @Test
    void anIndexWithoutLinuxAmd64IsRefusedAndLeavesNothing() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        Digest arm = TestImages.store(library.content(), TestImages.Compression.GZIP, run, base);
        Digest index = library.content()
                .put(ManifestJson.write(new ImageIndex(
                        2,
                        MediaTypes.OCI_INDEX,
                        List.of(new Descriptor(
                                MediaTypes.OCI_MANIFEST,
                                arm,
                                1,
                                null,
                                null,
                                new Platform("arm64", "linux", "v8", null, null))),
                        null)));
        List<String> before = StoreTree.of(root);
        var error = assertThrows(ImageException.class, () -> library.register(ImageReference.parse("test/arm"), index));
        assertEquals("no manifest for linux/amd64 in the index; it offers linux/arm64/v8", error.getMessage());
        assertEquals(before, StoreTree.of(root));
        assertEquals(List.of(), library.list());
    }

    @Test
    void aManifestWhoseConfigSaysAnotherPlatformIsRefused() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        Digest arm = TestImages.storeManifest(library.content(), TestImages.config("arm64", run, List.of()), List.of());
        var error = assertThrows(ImageException.class, () -> library.register(ImageReference.parse("test/arm"), arm));
        assertEquals("image manifest " + arm + " is for linux/arm64, not linux/amd64", error.getMessage());
    }

    @Test
    void rmiRemovesTheNameAndItsBlobsAndPruneTheUnusedLayers() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        Image one = library.register(
                ImageReference.parse("test/one"),
                TestImages.store(library.content(), TestImages.Compression.GZIP, run, base, app1));
        Image two = library.register(
                ImageReference.parse("test/two"),
                TestImages.store(library.content(), TestImages.Compression.GZIP, run, base, app2));
        assertEquals(2, library.list().size());
        assertEquals(List.of(ImageReference.parse("test/one")), library.remove("test/one"));
        assertEquals(
                List.of("test/two"),
                library.list().stream()
                        .map(summary -> summary.name().familiarRepository())
                        .toList());
        assertFalse(library.content().has(one.manifestDigest()));
        assertFalse(library.content().has(one.manifest().layers().get(1).digest()));
        assertTrue(library.content().has(one.manifest().layers().getFirst().digest()), "the shared base blob stays");
        assertEquals(List.of(Digest.of(app1)), library.prune());
        assertTrue(library.layers().has(Digest.of(base)));
        assertFalse(
                Files.exists(root.resolve(library.layers().shortName(Digest.of(app1)))), "its short name went with it");
        library.remove(two.id().shortHex());
        assertEquals(List.of(), library.list());
        assertEquals(2, library.prune().size());
        assertEquals(List.of(), library.layers().list());
        assertEquals(List.of(), library.content().list());
    }

    /**
     * Two imports store the same layer at once: the one that created the blob fails after the
     * other has registered its image with it. The failed import's rollback must keep the blob.
     */
    @Test
    void aFailedImportKeepsABlobItCreatedThatAnImageRegisteredSinceUses() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        var failing = new NewBlobs(library.content());
        Digest layer = failing.put(base);
        Digest other = failing.put(app1);
        assertEquals(List.of(layer, other), failing.created());

        Digest manifest = TestImages.store(library.content(), TestImages.Compression.NONE, run, base);
        library.register(ImageReference.parse("test/other-import"), manifest);
        library.discard(failing.created());

        assertTrue(library.content().has(layer), "the registered image's layer blob stays");
        assertFalse(library.content().has(other), "what only the failed import used is gone");
        library.remove("test/other-import");
        assertEquals(List.of(), library.content().list(), "and rmi can still remove everything");
    }

    @Test
    void imagesListsNameIdCreatedAndSize() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        Image image = library.register(
                ImageReference.parse("busybox"),
                TestImages.store(library.content(), TestImages.Compression.GZIP, run, base));
        ImageSummary summary = library.list().getFirst();
        assertEquals(ImageReference.parse("busybox"), summary.name());
        assertEquals(image.id(), summary.id());
        assertEquals("2026-01-02T03:04:05Z", summary.created());
        assertEquals(base.length, summary.size());
    }
}
