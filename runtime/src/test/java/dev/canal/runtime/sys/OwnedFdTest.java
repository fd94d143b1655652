package dev.canal.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnedFdTest {

    @TempDir
    Path dir;

    @Test
    void readsWhatTheFileHolds() throws Exception {
        Path file = Files.writeString(dir.resolve("in"), "hello, kernel");
        try (var fd = OwnedFd.open(file.toString(), linux_h.O_RDONLY(), 0)) {
            byte[] buffer = new byte[64];
            int count = fd.read(buffer, 0, buffer.length);
            assertEquals("hello, kernel", new String(buffer, 0, count, StandardCharsets.UTF_8));
            assertEquals(0, fd.read(buffer, 0, buffer.length), "end of file");
        }
    }

    @Test
    void createsAndWritesWithTheGivenMode() throws Exception {
        Path file = dir.resolve("out");
        try (var fd = OwnedFd.open(file.toString(), linux_h.O_WRONLY() | linux_h.O_CREAT() | linux_h.O_EXCL(), 0640)) {
            fd.writeFully("written".getBytes(StandardCharsets.UTF_8));
        }
        assertArrayEquals("written".getBytes(StandardCharsets.UTF_8), Files.readAllBytes(file));
        assertEquals(
                "rw-r-----",
                java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void everyDescriptorIsCloseOnExec() throws Exception {
        try (var fd = OwnedFd.open("/dev/null", linux_h.O_RDONLY(), 0)) {
            assertTrue(fd.isCloseOnExec());
        }
    }

    @Test
    void closeReleasesTheDescriptorOnceAndOnlyOnce() throws Exception {
        var fd = OwnedFd.open("/dev/null", linux_h.O_RDONLY(), 0);
        int number = fd.fd();
        assertTrue(Files.exists(Path.of("/proc/self/fd/" + number)));
        fd.close();
        assertFalse(Files.exists(Path.of("/proc/self/fd/" + number)), "the kernel no longer has it");
        fd.close();
        assertThrows(IllegalStateException.class, fd::fd);
    }

    @Test
    void releaseHandsOwnershipToTheCaller() {
        var fd = OwnedFd.open("/dev/null", linux_h.O_RDONLY(), 0);
        int number = fd.release();
        fd.close();
        try (var adopted = OwnedFd.adopt(number)) {
            assertTrue(adopted.isCloseOnExec(), "still open after the original owner's close");
        }
    }
}
