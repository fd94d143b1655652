package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserResolutionTest {

    @TempDir
    Path rootfs;

    @BeforeEach
    void writeAccountFiles() throws Exception {
        Files.createDirectories(rootfs.resolve("etc"));
        Files.writeString(rootfs.resolve("etc/passwd"), """
                root:x:0:0:root:/root:/bin/sh
                # a comment line
                app:x:1000:1000:app:/home/app:/bin/sh
                """);
        Files.writeString(rootfs.resolve("etc/group"), """
                root:x:0:
                app:x:1000:
                audio:x:29:app,other
                video:x:44:app
                staff:x:50:other
                """);
    }

    @Test
    void noUserIsRootWithRootsHome() {
        assertEquals(new UserResolution(0, 0, List.of(), "/root"), UserResolution.resolve(null, rootfs));
        assertEquals(new UserResolution(0, 0, List.of(), "/root"), UserResolution.resolve("", rootfs));
    }

    @Test
    void aNameGivesItsIdsHomeAndSupplementaryGroups() {
        assertEquals(
                new UserResolution(1000, 1000, List.of(29L, 44L), "/home/app"), UserResolution.resolve("app", rootfs));
    }

    @Test
    void aNumericUidInPasswdIsLookedUpToo() {
        assertEquals(
                new UserResolution(1000, 1000, List.of(29L, 44L), "/home/app"), UserResolution.resolve("1000", rootfs));
    }

    @Test
    void anUnknownNumericUidRunsWithGroupZeroAndHomeSlash() {
        assertEquals(new UserResolution(4242, 0, List.of(), "/"), UserResolution.resolve("4242", rootfs));
    }

    @Test
    void anExplicitGroupReplacesThePrimaryOneAndTheSupplementaryList() {
        assertEquals(new UserResolution(1000, 50, List.of(), "/home/app"), UserResolution.resolve("app:staff", rootfs));
        assertEquals(new UserResolution(1000, 7, List.of(), "/home/app"), UserResolution.resolve("app:7", rootfs));
    }

    @Test
    void unknownNamesAreDockersErrors() {
        assertEquals(
                "unable to find user nobody: no matching entries in passwd file",
                assertThrows(IllegalArgumentException.class, () -> UserResolution.resolve("nobody", rootfs))
                        .getMessage());
        assertEquals(
                "unable to find group wheel: no matching entries in group file",
                assertThrows(IllegalArgumentException.class, () -> UserResolution.resolve("app:wheel", rootfs))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> UserResolution.resolve(":1", rootfs));
        assertThrows(IllegalArgumentException.class, () -> UserResolution.resolve("app:", rootfs));
    }

    @Test
    void withoutAccountFilesOnlyNumbersWork() throws Exception {
        Files.delete(rootfs.resolve("etc/passwd"));
        Files.delete(rootfs.resolve("etc/group"));
        assertEquals(new UserResolution(5, 6, List.of(), "/"), UserResolution.resolve("5:6", rootfs));
        assertThrows(IllegalArgumentException.class, () -> UserResolution.resolve("app", rootfs));
    }

    @Test
    void aSymlinkedPasswdIsResolvedInsideTheRootNotOnTheHost() throws Exception {
        Path inside = rootfs.resolve("etc/passwd");
        Files.move(inside, rootfs.resolve("etc/passwd.real"));
        Files.createSymbolicLink(inside, Path.of("/etc/passwd.real"));
        assertEquals(1000, UserResolution.resolve("app", rootfs).uid(), "the absolute link stays in the rootfs");
    }

    @Test
    void refusesAnInvalidIdInTheImage() throws Exception {
        Files.writeString(rootfs.resolve("etc/passwd"), "bad:x:abc:0:bad:/:/bin/sh\n");
        assertEquals(
                "/etc/passwd in the image has an invalid id \"abc\"",
                assertThrows(IllegalArgumentException.class, () -> UserResolution.resolve("bad", rootfs))
                        .getMessage());
    }
}
