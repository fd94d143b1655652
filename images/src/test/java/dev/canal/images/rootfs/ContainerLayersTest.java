package dev.canal.images.rootfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.images.Digest;
import dev.canal.images.Image;
import dev.canal.images.ImageException;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import dev.canal.images.testing.StoreTree;
import dev.canal.images.testing.TarBuilder;
import dev.canal.images.testing.TestImages;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@RequiresRoot
class ContainerLayersTest {

    @TempDir
    Path root;

    private ContainerLayers containers;
    private final List<String> created = new ArrayList<>();

    @AfterEach
    void removeContainers() {
        created.forEach(containers::remove);
    }

    private String newContainer() {
        String id = "test-" + UUID.randomUUID().toString().substring(0, 8);
        created.add(id);
        return id;
    }

    private final byte[] lower = new TarBuilder()
            .directory("etc/", 0755)
            .file("etc/keep", "keep")
            .file("etc/delete-me", "old")
            .directory("cache/", 0755)
            .file("cache/old-1", "1")
            .file("cache/old-2", "2")
            .build();
    private final byte[] upper = new TarBuilder()
            .file("etc/.wh.delete-me", "")
            .directory("cache/", 0755)
            .file("cache/.wh..wh..opq", "")
            .file("cache/new", "new")
            .build();

    @Test
    void whiteoutsHideLowerFilesAndOpaqueDirectoriesTheirContents() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        containers = new ContainerLayers(library);
        Image image = library.register(
                ImageReference.parse("test/wh"),
                TestImages.store(library.content(), TestImages.Compression.GZIP, null, lower, upper));
        Path rootfs = containers.mount(image, newContainer(), OverlayMount.Upper.KEPT);

        assertEquals("keep", Files.readString(rootfs.resolve("etc/keep")));
        assertFalse(Files.exists(rootfs.resolve("etc/delete-me"), LinkOption.NOFOLLOW_LINKS), "whited out");
        try (var cache = Files.list(rootfs.resolve("cache"))) {
            assertEquals(
                    List.of("new"),
                    cache.map(path -> path.getFileName().toString()).toList(),
                    "the opaque directory hides old-1, old-2");
        }
        assertTrue(
                Files.exists(library.layers().directory(Digest.of(lower)).resolve("etc/delete-me")),
                "the lower layer still has it");
    }

    @Test
    void writesInTheContainerLeaveTheLayersUnchangedAndGoWithIt() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        containers = new ContainerLayers(library);
        Image image = library.register(
                ImageReference.parse("test/rw"),
                TestImages.store(library.content(), TestImages.Compression.NONE, null, lower));
        Path layer = library.layers().directory(Digest.of(lower));
        List<String> layerBefore = StoreTree.of(layer);
        String id = newContainer();
        Path rootfs = containers.mount(image, id, OverlayMount.Upper.KEPT);
        Files.writeString(rootfs.resolve("etc/keep"), "changed");
        Files.delete(rootfs.resolve("etc/delete-me"));
        Files.writeString(rootfs.resolve("new-file"), "new");

        assertEquals("keep", Files.readString(layer.resolve("etc/keep")));
        assertEquals("old", Files.readString(layer.resolve("etc/delete-me")));
        assertEquals(layerBefore, StoreTree.of(layer));
        Path containerUpper = library.users().containerDirectory(id).resolve("upper");
        assertEquals("changed", Files.readString(containerUpper.resolve("etc/keep")));

        assertEquals(List.of(), library.prune(), "a container's layers are kept");
        library.remove("test/rw");
        assertEquals(List.of(), library.prune(), "even after its image is removed");
        containers.remove(id);
        created.remove(id);
        assertFalse(Files.exists(library.users().containerDirectory(id)));
        assertEquals(List.of(Digest.of(lower)), library.prune());
    }

    @ParameterizedTest
    @EnumSource(OverlayMount.Method.class)
    void aHundredLayersMount(OverlayMount.Method method) throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        containers = new ContainerLayers(library);
        byte[][] layers = new byte[100][];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new TarBuilder()
                    .file("layer-" + i, Integer.toString(i))
                    .file("top", Integer.toString(i))
                    .build();
        }
        Image image = library.register(
                ImageReference.parse("test/hundred"),
                TestImages.store(library.content(), TestImages.Compression.GZIP, null, layers));
        Path rootfs = containers.mount(image, newContainer(), OverlayMount.Upper.KEPT, method);
        assertEquals("0", Files.readString(rootfs.resolve("layer-0")));
        assertEquals("99", Files.readString(rootfs.resolve("layer-99")));
        assertEquals("99", Files.readString(rootfs.resolve("top")), "the last layer is the topmost");
    }

    @ParameterizedTest
    @EnumSource(OverlayMount.Method.class)
    void aVolatileUpperIsMountedVolatileAgainAfterAnUnmount(OverlayMount.Method method) throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        containers = new ContainerLayers(library);
        Image image = library.register(
                ImageReference.parse("test/volatile"),
                TestImages.store(library.content(), TestImages.Compression.NONE, null, lower));
        String id = newContainer();
        Path rootfs = containers.mount(image, id, OverlayMount.Upper.VOLATILE, method);
        assertTrue(mountOptions(rootfs).contains("volatile"), mountOptions(rootfs));
        Files.writeString(rootfs.resolve("written"), "before the unmount");

        containers.unmount(id);
        assertFalse(containers.isMounted(id));
        Path again = containers.remount(id);

        assertEquals("before the unmount", Files.readString(again.resolve("written")));
        assertTrue(mountOptions(again).contains("volatile"), mountOptions(again));
        String id2 = newContainer();
        Path kept = containers.mount(image, id2, OverlayMount.Upper.KEPT, method);
        assertFalse(mountOptions(kept).contains("volatile"), mountOptions(kept));
    }

    /** The superblock options of the overlay mounted at {@code target} (the last field of its mountinfo line). */
    private static String mountOptions(Path target) throws Exception {
        return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                .filter(line -> line.split(" ")[4].equals(target.toString()))
                .map(line -> line.substring(line.lastIndexOf(' ') + 1))
                .findFirst()
                .orElseThrow(() -> new AssertionError(target + " is not mounted"));
    }

    @Test
    void tooManyLayersForOnePageOfOptionsIsAClearError() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        containers = new ContainerLayers(library);
        byte[][] layers = new byte[300][];
        for (int i = 0; i < layers.length; i++) {
            layers[i] = new TarBuilder().file("f", Integer.toString(i)).build();
        }
        Image image = library.register(
                ImageReference.parse("test/many"),
                TestImages.store(library.content(), TestImages.Compression.NONE, null, layers));
        String id = newContainer();
        var error = assertThrows(
                ImageException.class,
                () -> containers.mount(image, id, OverlayMount.Upper.KEPT, OverlayMount.Method.SHORT_NAMES));
        assertTrue(error.getMessage().startsWith("300 layers need "), error.getMessage());
        assertTrue(error.getMessage().contains("more than the kernel's limit of one page (4096 bytes)"));
        assertFalse(Files.exists(library.users().containerDirectory(id)), "nothing left behind");
        Path rootfs = containers.mount(image, id, OverlayMount.Upper.KEPT, OverlayMount.Method.LOWERDIR_APPEND);
        assertEquals("299", Files.readString(rootfs.resolve("f")));
    }

    @Test
    void aContainerIdIsNeverAPath() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        containers = new ContainerLayers(library);
        Image image = library.register(
                ImageReference.parse("test/id"),
                TestImages.store(library.content(), TestImages.Compression.NONE, null, lower));
        var error =
                assertThrows(ImageException.class, () -> containers.mount(image, "../escape", OverlayMount.Upper.KEPT));
        assertTrue(error.getMessage().startsWith("container id '../escape' must be"), error.getMessage());
    }
}
