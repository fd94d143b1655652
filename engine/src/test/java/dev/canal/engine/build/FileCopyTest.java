package dev.canal.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.canal.runtime.testing.RequiresRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where COPY puts files, on plain directories standing for the context and the image's root:
 * a directory's contents, a file under a directory or renamed, the owner and mode asked for,
 * a name that leaves the context.
 */
@RequiresRoot
class FileCopyTest {

    @TempDir
    Path work;

    private Path context;
    private Path rootfs;

    @BeforeEach
    void contextAndRoot() throws Exception {
        context = Files.createDirectories(work.resolve("context/conf"));
        Files.writeString(context.resolve("a.conf"), "a\n");
        context = context.getParent();
        Files.writeString(context.resolve("run.sh"), "#!/bin/sh\n");
        rootfs = Files.createDirectories(work.resolve("rootfs/etc"));
        rootfs = rootfs.getParent();
    }

    private void copy(List<String> sources, String destination, String chown, String chmod) throws Exception {
        try (SourceFiles files = SourceFiles.open(context, path -> false)) {
            new FileCopy(files, sources, destination, chown, chmod, false).into(rootfs, work);
        }
    }

    @Test
    void aDirectoryCopiesWhatItHoldsIntoAMissingDestination() throws Exception {
        copy(List.of("conf"), "/etc/app", null, null);
        assertEquals("a\n", Files.readString(rootfs.resolve("etc/app/a.conf")));
        assertFalse(Files.exists(rootfs.resolve("etc/app/conf")));
    }

    @Test
    void aFileIsRenamedOrGoesUnderADirectoryWithTheOwnerAndModeAsked() throws Exception {
        copy(List.of("run.sh"), "/usr/bin/start", "1000:2000", "750");
        Path renamed = rootfs.resolve("usr/bin/start");
        assertEquals("#!/bin/sh\n", Files.readString(renamed));
        assertEquals(1000, Files.getAttribute(renamed, "unix:uid"));
        assertEquals(2000, Files.getAttribute(renamed, "unix:gid"));
        assertEquals(0750, (Integer) Files.getAttribute(renamed, "unix:mode") & 07777);
        copy(List.of("run.sh"), "/etc", null, null);
        assertEquals(0, Files.getAttribute(rootfs.resolve("etc/run.sh"), "unix:uid"));
    }

    @Test
    void aSourceOutsideTheContextIsNotFound() {
        var refused =
                assertThrows(IllegalArgumentException.class, () -> copy(List.of("../rootfs/etc"), "/x/", null, null));
        assertEquals(
                "file not found in build context or excluded by .dockerignore: ../rootfs/etc", refused.getMessage());
    }
}
