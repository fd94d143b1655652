package dev.canal.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageReferenceTest {

    private static final String HEX = "a".repeat(64);

    @Test
    void aBareNameIsOnDockerHubUnderLibraryWithTagLatest() {
        ImageReference busybox = ImageReference.parse("busybox");
        assertEquals(new ImageReference("docker.io", "library/busybox", "latest", null), busybox);
        assertEquals("docker.io/library/busybox:latest", busybox.toString());
        assertEquals("busybox", busybox.familiarRepository());
    }

    @Test
    void aHostWithAPortIsARegistry() {
        ImageReference local = ImageReference.parse("localhost:5000/bb:1.0");
        assertEquals("localhost:5000", local.registry());
        assertEquals("bb", local.repository());
        assertEquals("1.0", local.tag());
        assertEquals("localhost:5000/bb", local.familiarRepository());
        assertEquals("quay.io", ImageReference.parse("quay.io/a/b").registry());
        assertEquals("docker.io", ImageReference.parse("someone/tool").registry());
        assertEquals("someone/tool", ImageReference.parse("someone/tool").familiarRepository());
        assertEquals(
                "docker.io",
                ImageReference.parse("index.docker.io/library/busybox").registry());
    }

    @Test
    void aDigestPinsTheContentAndLeavesNoDefaultTag() {
        ImageReference pinned = ImageReference.parse("busybox@sha256:" + HEX);
        assertNull(pinned.tag());
        assertEquals(Digest.parse("sha256:" + HEX), pinned.digest());
        assertEquals("sha256:" + HEX, pinned.manifestReference());
        assertEquals("docker.io/library/busybox@sha256:" + HEX, pinned.toString());
        ImageReference both = ImageReference.parse("localhost:5000/bb:1.0@sha256:" + HEX);
        assertEquals("1.0", both.tag());
        assertEquals("sha256:" + HEX, both.manifestReference());
    }

    @Test
    void badNamesAreRefusedNamingThePart() {
        assertTrue(assertThrows(ImageException.class, () -> ImageReference.parse("BusyBox"))
                .getMessage()
                .contains("repository 'library/BusyBox'"));
        assertTrue(assertThrows(ImageException.class, () -> ImageReference.parse("busybox:bad tag"))
                .getMessage()
                .contains("tag 'bad tag'"));
        assertTrue(assertThrows(ImageException.class, () -> ImageReference.parse("busybox@sha256:abc"))
                .getMessage()
                .contains("64 lowercase hex"));
        assertTrue(assertThrows(ImageException.class, () -> ImageReference.parse(""))
                .getMessage()
                .contains("empty"));
    }

    @Test
    void digestsParseAndPrint() {
        Digest digest = Digest.of("hello".getBytes());
        assertEquals("sha256:2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", digest.toString());
        assertEquals(digest, Digest.parse(digest.toString()));
        assertEquals("2cf24dba5fb0", digest.shortHex());
        assertTrue(assertThrows(ImageException.class, () -> Digest.parse("md5:abc"))
                .getMessage()
                .contains("not supported"));
    }
}
