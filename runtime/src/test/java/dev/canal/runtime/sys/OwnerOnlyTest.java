package dev.canal.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OwnerOnlyTest {

    @TempDir
    Path work;

    private static String mode(Path path) throws IOException {
        return Integer.toOctalString((int) Files.getAttribute(path, "unix:mode") & 07777);
    }

    @Test
    void aNewDirectoryIsOwnerOnlyAndItsMissingParentsAreMade() throws Exception {
        Path directory = OwnerOnly.directory(work.resolve("a/b/store"));
        assertEquals("700", mode(directory));
        assertEquals("755", mode(work.resolve("a/b")), "parents with the usual modes");
    }

    @Test
    void anExistingWiderDirectoryIsTightened() throws Exception {
        Path store = Files.createDirectory(work.resolve("store"));
        Files.setPosixFilePermissions(store, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.writeString(store.resolve("kept"), "content");
        OwnerOnly.directory(store);
        assertEquals("700", mode(store));
        assertEquals("content", Files.readString(store.resolve("kept")));
    }

    @Test
    void aSharedStickyDirectoryIsRefusedAndLeftAsItWas() throws Exception {
        Path shared = Files.createDirectory(work.resolve("shared"));
        Files.setAttribute(shared, "unix:mode", 01777);
        var error = assertThrows(IllegalArgumentException.class, () -> OwnerOnly.directory(shared));
        assertEquals(
                shared + " is a directory all users share (sticky, like /tmp); give Canal a directory of its own",
                error.getMessage());
        assertEquals("1777", mode(shared));
    }

    @Test
    void aFileIsWrittenOwnerOnlyEvenOverAWiderLeftover() throws Exception {
        Path file = work.resolve("state.json");
        Path leftover = Files.writeString(work.resolve("state.json.tmp"), "half");
        Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-r--r--"));
        Files.writeString(file, "old");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

        OwnerOnly.write(file, "{\"secret\":1}".getBytes(StandardCharsets.UTF_8));

        assertEquals("{\"secret\":1}", Files.readString(file));
        assertEquals("600", mode(file));
        try (Stream<Path> entries = Files.list(work)) {
            assertEquals(List.of(file), entries.toList(), "no temporary file left");
        }
    }
}
