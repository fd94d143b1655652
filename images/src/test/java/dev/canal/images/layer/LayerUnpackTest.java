package dev.canal.images.layer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.images.Digest;
import dev.canal.images.ImageException;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import dev.canal.images.manifest.ImageConfig;
import dev.canal.images.testing.StoreTree;
import dev.canal.images.testing.TarBuilder;
import dev.canal.images.testing.TestImages;
import dev.canal.runtime.sys.ExtendedAttributes;
import dev.canal.runtime.testing.RequiresRoot;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@RequiresRoot
class LayerUnpackTest {

    @TempDir
    Path root;

    private static final byte[] CAPABILITY = {1, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};

    private static byte[] everyKindOfMember() {
        return new TarBuilder()
                .directory("./", 0755)
                .directory("etc/", 0750)
                .owner(1000, 2000)
                .file("etc/owned", "mine")
                .owner(0, 0)
                .file("bin/tool", 04755, "#!/bin/sh\n".getBytes(StandardCharsets.UTF_8))
                .xattr("security.capability", CAPABILITY)
                .xattr("user.note", "hi".getBytes(StandardCharsets.UTF_8))
                .file("bin/ping", 0755, new byte[] {1, 2, 3})
                .symlink("bin/sh", "/bin/tool")
                .hardLink("bin/tool-again", "bin/tool")
                .characterDevice("dev/null", 1, 3)
                .fifo("run/pipe")
                .mtime(1_600_000_000L)
                .directory("var/", 0755)
                .file("var/.wh.gone", "")
                .directory("opaque/", 0755)
                .file("opaque/.wh..wh..opq", "")
                .file("opaque/kept", "new")
                .build();
    }

    @ParameterizedTest
    @EnumSource(TestImages.Compression.class)
    void everyMemberKindIsUnpackedWithItsMetadata(TestImages.Compression compression) throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        byte[] tar = everyKindOfMember();
        Digest manifest = TestImages.store(library.content(), compression, ImageConfig.RunConfig.EMPTY, tar);
        library.register(ImageReference.parse("test/kinds"), manifest);
        Path layer = library.layers().directory(Digest.of(tar));

        assertEquals("mine", Files.readString(layer.resolve("etc/owned")));
        assertEquals(1000, Files.getAttribute(layer.resolve("etc/owned"), "unix:uid"));
        assertEquals(2000, Files.getAttribute(layer.resolve("etc/owned"), "unix:gid"));
        assertEquals(0750, (int) Files.getAttribute(layer.resolve("etc"), "unix:mode") & 07777);
        assertEquals(
                04755,
                (int) Files.getAttribute(layer.resolve("bin/tool"), "unix:mode") & 07777,
                "set-user-ID survives chown");
        assertArrayEquals(
                CAPABILITY,
                ExtendedAttributes.get(layer.resolve("bin/ping").toString(), "security.capability"),
                "binary xattr intact");
        assertArrayEquals(
                "hi".getBytes(StandardCharsets.UTF_8),
                ExtendedAttributes.get(layer.resolve("bin/ping").toString(), "user.note"));
        assertEquals(Path.of("/bin/tool"), Files.readSymbolicLink(layer.resolve("bin/sh")));
        assertEquals(
                Files.getAttribute(layer.resolve("bin/tool"), "unix:ino"),
                Files.getAttribute(layer.resolve("bin/tool-again"), "unix:ino"));
        assertEquals(2, Files.getAttribute(layer.resolve("bin/tool"), "unix:nlink"));
        assertEquals(deviceNumber(1, 3), Files.getAttribute(layer.resolve("dev/null"), "unix:rdev"));
        assertEquals(0010000, (int) Files.getAttribute(layer.resolve("run/pipe"), "unix:mode") & 0170000, "a FIFO");
        assertEquals(
                1_600_000_000_000L,
                Files.getLastModifiedTime(layer.resolve("var")).toMillis(),
                "directory mtime set after its contents");
        assertEquals(
                1_700_000_000_000L,
                Files.getLastModifiedTime(layer.resolve("etc/owned")).toMillis());
        // Whiteouts in overlayfs form: a 0/0 character device, and an opaque directory.
        assertEquals(0L, Files.getAttribute(layer.resolve("var/gone"), "unix:rdev"));
        assertEquals(0020000, (int) Files.getAttribute(layer.resolve("var/gone"), "unix:mode") & 0170000);
        assertFalse(Files.exists(layer.resolve("var/.wh.gone"), LinkOption.NOFOLLOW_LINKS));
        assertArrayEquals(
                "y".getBytes(StandardCharsets.US_ASCII),
                ExtendedAttributes.get(layer.resolve("opaque").toString(), "trusted.overlay.opaque"));
        assertFalse(Files.exists(layer.resolve("opaque/.wh..wh..opq")));
        assertEquals("new", Files.readString(layer.resolve("opaque/kept")));
        assertEquals(1, library.layers().unpackCount());
    }

    static List<Object[]> escapes() {
        return List.of(
                new Object[] {
                    "dotdot",
                    new TarBuilder().file("../x", "out").build(),
                    "tar entry '../x' contains '..' and would leave the layer"
                },
                new Object[] {
                    "deep dotdot", new TarBuilder().file("a/../../x", "out").build(), "contains '..'"
                },
                new Object[] {
                    "absolute", new TarBuilder().file("/abs", "out").build(), "tar entry '/abs' is an absolute path"
                },
                new Object[] {
                    "through symlink",
                    new TarBuilder()
                            .symlink("link", "/tmp")
                            .file("link/x", "out")
                            .build(),
                    "tar entry 'link/x' goes through the symlink 'link'; writing through symlinks is refused"
                },
                new Object[] {
                    "through relative symlink",
                    new TarBuilder()
                            .directory("d/", 0755)
                            .symlink("d/up", "..")
                            .file("d/up/x", "o")
                            .build(),
                    "goes through the symlink 'd/up'"
                },
                new Object[] {
                    // d is opened as a parent (and held open) for the marker while still empty,
                    // so the symlink may replace it; d/x must then resolve through the symlink.
                    "through symlink replacing a directory used before",
                    new TarBuilder()
                            .directory("d/", 0755)
                            .file("d/.wh..wh..opq", "")
                            .symlink("d", "/tmp")
                            .file("d/x", "out")
                            .build(),
                    "tar entry 'd/x' goes through the symlink 'd'"
                },
                new Object[] {
                    "hardlink out",
                    new TarBuilder().hardLink("x", "../../etc/passwd").build(),
                    "hard link target of 'x' '../../etc/passwd' contains '..'"
                },
                new Object[] {
                    "hardlink absolute",
                    new TarBuilder().hardLink("x", "/etc/passwd").build(),
                    "'/etc/passwd' is an absolute path"
                },
                new Object[] {
                    "hardlink through symlink",
                    new TarBuilder()
                            .symlink("etc", "/etc")
                            .hardLink("x", "etc/passwd")
                            .build(),
                    "goes through the symlink 'etc'"
                });
    }

    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("escapes")
    void membersEscapingTheLayerAreRefusedAndLeaveNothing(String what, byte[] tar, String message) throws Exception {
        String refusal = refusedLeavingNothing(tar);
        assertTrue(refusal.contains(message), refusal);
        // Only a file the escape wrote counts: /tmp/x may be anything else of the host's.
        assertFalse(Files.isRegularFile(Path.of("/tmp/x"))
                && Files.readString(Path.of("/tmp/x")).equals("out"));
    }

    /** Registers an image of the layer {@code tar}, which must fail; returns its one-line message, the store as it was. */
    private String refusedLeavingNothing(byte[] tar) throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        Digest manifest =
                TestImages.store(library.content(), TestImages.Compression.GZIP, ImageConfig.RunConfig.EMPTY, tar);
        List<String> before = StoreTree.of(root);
        var error = assertThrows(
                ImageException.class, () -> library.register(ImageReference.parse("test/refused"), manifest));
        assertFalse(error.getMessage().contains("\n"), error.getMessage());
        assertEquals(before, StoreTree.of(root), "no layer, no temporary directory, no name left");
        return error.getMessage();
    }

    static List<Object[]> badWhiteouts() {
        return List.of(
                new Object[] {
                    "of nothing",
                    new TarBuilder().directory("d/", 0755).file("d/.wh.", "").build(),
                    "tar entry 'd/.wh.' is a whiteout of '', which names no file: a whiteout is '.wh.' followed by the"
                            + " name of the file it hides"
                },
                new Object[] {
                    "of its directory",
                    new TarBuilder().directory("d/", 0755).file("d/.wh..", "").build(),
                    "tar entry 'd/.wh..' is a whiteout of '.', which names no file"
                },
                new Object[] {
                    "of the parent",
                    new TarBuilder().file(".wh...", "").build(),
                    "is a whiteout of '..', which names no file"
                },
                new Object[] {
                    "with entries below it",
                    new TarBuilder().file("a/.wh.b/c", "x").build(),
                    "tar entry 'a/.wh.b/c' lies below the whiteout 'a/.wh.b'; a name beginning with '.wh.' is a"
                            + " whiteout, not a directory"
                });
    }

    @ParameterizedTest(name = "a whiteout {0}")
    @org.junit.jupiter.params.provider.MethodSource("badWhiteouts")
    void aWhiteoutThatHidesNoFileIsRefusedSayingWhy(String what, byte[] tar, String message) throws Exception {
        String refusal = refusedLeavingNothing(tar);
        assertTrue(refusal.contains(message), refusal);
    }

    @Test
    void aufsBookkeepingIsSkippedWithWhatIsBelowIt() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        byte[] tar = new TarBuilder()
                .directory(".wh..wh.plnk/", 0700)
                .file(".wh..wh.plnk/1234.5678", "aufs link")
                .file(".wh..wh.aufs", "")
                .file("kept", "k")
                .build();
        library.register(
                ImageReference.parse("test/aufs"),
                TestImages.store(library.content(), TestImages.Compression.NONE, ImageConfig.RunConfig.EMPTY, tar));
        try (var entries = Files.list(library.layers().directory(Digest.of(tar)))) {
            assertEquals(
                    List.of("kept"),
                    entries.map(entry -> entry.getFileName().toString()).toList());
        }
    }

    /**
     * overlayfs's own attributes, set by a layer, would steer the container's overlay (a
     * redirect to another directory of the lower layers, an opaque directory, a metacopy): they
     * are dropped, in both namespaces overlayfs reads, and other attributes are kept.
     */
    @Test
    void overlayfsAttributesInALayerAreDropped() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        byte[] tar = new TarBuilder()
                .xattr("trusted.overlay.redirect", "/etc".getBytes(StandardCharsets.UTF_8))
                .xattr("trusted.overlay.opaque", "y".getBytes(StandardCharsets.UTF_8))
                .xattr("user.overlay.opaque", "y".getBytes(StandardCharsets.UTF_8))
                .xattr("user.note", "kept".getBytes(StandardCharsets.UTF_8))
                .directory("d/", 0755)
                .xattr("trusted.overlay.metacopy", new byte[0])
                .xattr("trusted.overlay.origin", new byte[] {0, 1, 2})
                .file("d/f", "data")
                .build();
        library.register(
                ImageReference.parse("test/overlay-xattrs"),
                TestImages.store(library.content(), TestImages.Compression.NONE, ImageConfig.RunConfig.EMPTY, tar));
        Path layer = library.layers().directory(Digest.of(tar));
        for (String dropped : List.of("trusted.overlay.redirect", "trusted.overlay.opaque", "user.overlay.opaque")) {
            assertNull(ExtendedAttributes.get(layer.resolve("d").toString(), dropped), dropped);
        }
        for (String dropped : List.of("trusted.overlay.metacopy", "trusted.overlay.origin")) {
            assertNull(ExtendedAttributes.get(layer.resolve("d/f").toString(), dropped), dropped);
        }
        assertArrayEquals(
                "kept".getBytes(StandardCharsets.UTF_8),
                ExtendedAttributes.get(layer.resolve("d").toString(), "user.note"));
    }

    @Test
    void aBadNumberInALayerIsOneLineNamingLayerEntryAndField() throws Exception {
        byte[] tar = new TarBuilder()
                .pax("size", "-5")
                .file("etc/passwd", "root:x:0:0::/root:/bin/sh\n")
                .build();
        assertEquals(
                "layer " + Digest.of(tar) + ": tar entry 'etc/passwd': pax size -5 is negative",
                refusedLeavingNothing(tar));
    }

    @Test
    void aLayerWhoseContentDoesNotMatchItsDiffIdIsRefused() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        byte[] tar = new TarBuilder().file("a", "a").build();
        byte[] other = new TarBuilder().file("b", "b").build();
        byte[] blob = TestImages.compress(tar, TestImages.Compression.GZIP);
        var layer = dev.canal.images.manifest.Descriptor.of(
                dev.canal.images.MediaTypes.OCI_LAYER_GZIP, library.content().put(blob), blob.length);
        Digest manifest = TestImages.storeManifest(
                library.content(), TestImages.config("amd64", null, List.of(Digest.of(other))), List.of(layer));
        List<String> before = StoreTree.of(root);
        var error = assertThrows(
                ImageException.class, () -> library.register(ImageReference.parse("test/wrong"), manifest));
        assertEquals(
                "layer blob " + layer.digest() + " unpacks to content with digest " + Digest.of(tar)
                        + ", but the image config says diffID " + Digest.of(other),
                error.getMessage());
        assertEquals(before, StoreTree.of(root));
    }

    @Test
    void modesOfUnpackedDirectoriesFollowTheTar() throws Exception {
        ImageLibrary library = ImageLibrary.open(root);
        byte[] tar =
                new TarBuilder().directory("tmp/", 01777).file("tmp/f", "x").build();
        library.register(
                ImageReference.parse("test/modes"),
                TestImages.store(library.content(), TestImages.Compression.NONE, null, tar));
        Path tmp = library.layers().directory(Digest.of(tar)).resolve("tmp");
        assertEquals("rwxrwxrwx", PosixFilePermissions.toString(Files.getPosixFilePermissions(tmp)));
        assertEquals(01777, (int) Files.getAttribute(tmp, "unix:mode") & 07777);
    }

    private static long deviceNumber(long major, long minor) {
        return dev.canal.runtime.sys.PathAt.deviceNumber(major, minor);
    }
}
