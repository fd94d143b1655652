package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.images.tar.TarEntry;
import dev.canal.images.tar.TarReader;
import dev.canal.images.tar.TarWriter;
import dev.canal.runtime.testing.RequiresRoot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** docker cp's three operations on a root filesystem in a temporary directory. */
@RequiresRoot
class ContainerArchiveTest {

    @TempDir
    Path directory;

    private Path root;
    private Path host;

    @BeforeEach
    void makeRoot() throws Exception {
        root = Files.createDirectories(directory.resolve("rootfs"));
        host = Files.createDirectories(directory.resolve("host"));
        Files.createDirectories(root.resolve("etc/app"));
        Files.writeString(root.resolve("etc/app/config"), "setting=1\n");
        Files.setPosixFilePermissions(root.resolve("etc/app/config"), PosixFilePermissions.fromString("rw-r-----"));
        Files.createSymbolicLink(root.resolve("etc/app/current"), Path.of("config"));
        Files.writeString(host.resolve("secret"), "host only\n");
        // An absolute link and one full of "..": both must stay inside the root.
        Files.createSymbolicLink(root.resolve("etc/escape"), host);
        Files.createSymbolicLink(root.resolve("etc/climb"), Path.of("../../../../../../../" + host));
    }

    private List<String> members(byte[] tar) throws Exception {
        TarReader reader = new TarReader(new ByteArrayInputStream(tar));
        List<String> names = new ArrayList<>();
        for (TarEntry entry = reader.next(); entry != null; entry = reader.next()) {
            String content = entry.type() == TarEntry.Type.REGULAR
                    ? "=" + new String(reader.content().readAllBytes(), StandardCharsets.UTF_8).strip()
                    : entry.type() == TarEntry.Type.SYMLINK ? "->" + entry.linkName() : "";
            names.add(entry.name() + content);
        }
        return names;
    }

    @Test
    void exportNamesTheTopAfterThePathAndKeepsInnerLinksAsLinks() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ContainerArchive.export(root, "/etc/app/", out);
        assertEquals(
                List.of("app/", "app/config=setting=1", "app/current->config"),
                members(out.toByteArray()).stream().sorted().toList());
    }

    @Test
    void statShowsGoFileModeBits() {
        ContainerArchive.PathStat directoryStat = ContainerArchive.stat(root, "/etc/app");
        assertEquals("app", directoryStat.name());
        assertEquals((1L << 31) | 0755, directoryStat.mode(), "os.ModeDir | 0755");
        ContainerArchive.PathStat file = ContainerArchive.stat(root, "/etc/app/config");
        assertEquals(0640, file.mode());
        assertEquals(10, file.size());
        ContainerArchive.PathStat link = ContainerArchive.stat(root, "/etc/app/current");
        assertEquals("config", link.linkTarget());
        assertTrue((link.mode() & (1L << 27)) != 0, "os.ModeSymlink");
        assertThrows(NoSuchObjectException.class, () -> ContainerArchive.stat(root, "/etc/none"));
    }

    @Test
    void symlinksInTheContainerCannotReachTheHost() throws Exception {
        for (String path : new String[] {"/etc/escape/secret", "/etc/climb/secret"}) {
            assertThrows(
                    RuntimeException.class,
                    () -> ContainerArchive.export(root, path, new ByteArrayOutputStream()),
                    path + " resolves inside the root, where there is no such file");
        }
    }

    @Test
    void extractWritesFilesWithTheirOwnersAndModesInsideTheRoot() throws Exception {
        // The absolute link's target as the container sees it: a directory inside the root.
        Path inside = Files.createDirectories(root.resolve(host.toString().substring(1)));
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TarWriter writer = new TarWriter(tar);
        byte[] data = "new\n".getBytes(StandardCharsets.UTF_8);
        writer.add("./dir/", TarWriter.DIRECTORY, 0700, 1000, 1000, 0, 0, null, null);
        writer.add(
                "./dir/file",
                TarWriter.REGULAR,
                0600,
                1000,
                1000,
                data.length,
                0,
                null,
                new ByteArrayInputStream(data));
        writer.add("./dir/link", TarWriter.SYMLINK, 0777, 0, 0, 0, 0, "file", null);
        writer.finish();
        ContainerArchive.extract(root, "/etc/escape", new ByteArrayInputStream(tar.toByteArray()));

        Path made = inside.resolve("dir");
        assertEquals("new\n", Files.readString(made.resolve("file")), "the absolute link was followed inside the root");
        assertEquals(1000, Files.getAttribute(made.resolve("file"), "unix:uid"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(made.resolve("file"))));
        assertEquals(Path.of("file"), Files.readSymbolicLink(made.resolve("link")));
        assertEquals(
                List.of("secret"),
                Files.list(host).map(p -> p.getFileName().toString()).toList(),
                "nothing was written on the host");
    }

    @Test
    void extractRefusesDotDotAndAFileAsTheTarget() throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        TarWriter writer = new TarWriter(tar);
        writer.add("../../outside", TarWriter.REGULAR, 0644, 0, 0, 0, 0, null, new ByteArrayInputStream(new byte[0]));
        writer.finish();
        assertThrows(
                IllegalArgumentException.class,
                () -> ContainerArchive.extract(root, "/etc", new ByteArrayInputStream(tar.toByteArray())));
        assertEquals(
                "extraction point is not a directory: /etc/app/config",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> ContainerArchive.extract(
                                        root, "/etc/app/config", new ByteArrayInputStream(tar.toByteArray())))
                        .getMessage());
    }

    @Test
    void exportKeepsSetUserIdSetGroupIdAndStickyBits() throws Exception {
        Path program = root.resolve("etc/app/program");
        Files.writeString(program, "#!/bin/sh\n");
        Files.setAttribute(program, "unix:mode", 04755);
        Path shared = Files.createDirectory(root.resolve("etc/app/shared"));
        Files.setAttribute(shared, "unix:mode", 01777);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ContainerArchive.export(root, "/etc/app", out);
        TarReader reader = new TarReader(new ByteArrayInputStream(out.toByteArray()));
        java.util.Map<String, Integer> modes = new java.util.HashMap<>();
        for (TarEntry entry = reader.next(); entry != null; entry = reader.next()) {
            modes.put(entry.name(), entry.mode());
        }
        assertEquals(04755, modes.get("app/program"), "docker cp keeps a setuid program setuid");
        assertEquals(01777, modes.get("app/shared/"), "and a sticky directory sticky");
    }
}
