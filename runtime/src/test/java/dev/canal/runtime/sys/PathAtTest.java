package dev.canal.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mknodat(2) made as a raw system call: the kernel takes a 32-bit device number, glibc's dev_t
 * is 64 bits, and the two encodings must agree (root only: creating a device node needs
 * CAP_MKNOD).
 */
class PathAtTest {

    @TempDir
    Path directory;

    @Test
    void aDeviceNodeGetsTheMajorAndMinorItWasMadeWith() {
        try (var parent = OwnedFd.open(directory.toString(), linux_h.O_RDONLY() | linux_h.O_DIRECTORY(), 0)) {
            // A minor above 255 has bits in both halves of the encoding.
            PathAt.mknod(parent, "node", linux_h.S_IFCHR() | 0600, PathAt.deviceNumber(4095, 0xfffff));
            try (var node = OwnedFd.open(directory.resolve("node").toString(), linux_h.O_PATH(), 0)) {
                FileStatus status = FileStatus.of(node);
                assertTrue(status.isCharacterDevice(), status.typeName());
                assertEquals(4095, status.major());
                assertEquals(0xfffff, status.minor());
            }
        }
    }

    @Test
    void aDeviceNumberWiderThanTheKernelTakesIsRefusedAsGlibcRefusesIt() {
        try (var parent = OwnedFd.open(directory.toString(), linux_h.O_RDONLY() | linux_h.O_DIRECTORY(), 0)) {
            var error = assertThrows(
                    SyscallException.class,
                    () -> PathAt.mknod(parent, "node", linux_h.S_IFCHR() | 0600, PathAt.deviceNumber(4096, 1)));
            assertEquals("mknodat(node): EINVAL (Invalid argument)", error.getMessage());
            assertFalse(Files.exists(directory.resolve("node")));
        }
    }

    @Test
    void aLookupThatMayMissGivesNullForNothingThereAndStillFailsOnOtherErrors() throws Exception {
        Files.writeString(directory.resolve("file"), "x");
        try (var parent = OwnedFd.open(directory.toString(), linux_h.O_RDONLY() | linux_h.O_DIRECTORY(), 0)) {
            try (var found = PathAt.openat2IfPresent(parent, "file", linux_h.O_PATH(), 0)) {
                assertFalse(
                        FileStatus.of(found).isDirectory(), FileStatus.of(found).typeName());
            }
            assertNull(PathAt.openat2IfPresent(parent, "missing", linux_h.O_PATH(), 0));
            var error = assertThrows(
                    SyscallException.class, () -> PathAt.openat2IfPresent(parent, "file/below", linux_h.O_PATH(), 0));
            assertEquals("openat2(file/below): ENOTDIR (Not a directory)", error.getMessage());
        }
    }
}
