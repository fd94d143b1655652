package dev.canal.images.tar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarWriterTest {

    private static final String LONG_NAME = "dir/" + "n".repeat(150);
    private static final String LONG_TARGET = "/" + "t".repeat(120);

    @TempDir
    Path directory;

    private static byte[] archive() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter tar = new TarWriter(out);
        byte[] hello = "hello\n".getBytes(StandardCharsets.UTF_8);
        tar.add("dir/", TarWriter.DIRECTORY, 0755, 0, 0, 0, 1_700_000_000L, null, null);
        tar.add(
                "dir/file",
                TarWriter.REGULAR,
                0640,
                1000,
                100,
                hello.length,
                1_700_000_000L,
                null,
                new ByteArrayInputStream(hello));
        tar.add("dir/link", TarWriter.SYMLINK, 0777, 0, 0, 0, 1_700_000_000L, "file", null);
        tar.add(LONG_NAME, TarWriter.SYMLINK, 0777, 0, 0, 0, 1_700_000_000L, LONG_TARGET, null);
        tar.finish();
        return out.toByteArray();
    }

    @Test
    void writesUstarThatOurReaderReadsBack() throws Exception {
        byte[] bytes = archive();
        assertEquals(0, bytes.length % 512, "whole blocks");
        TarReader reader = new TarReader(new ByteArrayInputStream(bytes));

        TarEntry dir = reader.next();
        assertEquals("dir/", dir.name().endsWith("/") ? dir.name() : dir.name() + "/");
        assertEquals(TarEntry.Type.DIRECTORY, dir.type());
        assertEquals(0755, dir.mode());

        TarEntry file = reader.next();
        assertEquals("dir/file", file.name());
        assertEquals(TarEntry.Type.REGULAR, file.type());
        assertEquals(0640, file.mode());
        assertEquals(1000, file.uid());
        assertEquals(100, file.gid());
        assertEquals(1_700_000_000L, file.mtimeSeconds());
        assertEquals("hello\n", new String(reader.content().readAllBytes(), StandardCharsets.UTF_8));

        TarEntry link = reader.next();
        assertEquals(TarEntry.Type.SYMLINK, link.type());
        assertEquals("file", link.linkName());

        TarEntry longOne = reader.next();
        assertEquals(LONG_NAME, longOne.name(), "a PAX path record carries names over 100 bytes");
        assertEquals(LONG_TARGET, longOne.linkName(), "and a linkpath record long targets");
        assertNull(reader.next());
    }

    @Test
    void gnuTarExtractsIt() throws Exception {
        Path tarFile = directory.resolve("a.tar");
        Files.write(tarFile, archive());
        Path out = Files.createDirectory(directory.resolve("out"));
        Process tar = new ProcessBuilder("tar", "-C", out.toString(), "-xf", tarFile.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, tar.waitFor(), output);
        assertEquals("hello\n", Files.readString(out.resolve("dir/file")));
        assertEquals(Path.of("file"), Files.readSymbolicLink(out.resolve("dir/link")));
        assertEquals(Path.of(LONG_TARGET), Files.readSymbolicLink(out.resolve(LONG_NAME)));
    }

    @Test
    void refusesContentOfAnotherSizeThanDeclared() {
        TarWriter tar = new TarWriter(new ByteArrayOutputStream());
        assertThrows(
                IOException.class,
                () -> tar.add("f", TarWriter.REGULAR, 0644, 0, 0, 10, 0, null, new ByteArrayInputStream(new byte[3])));
    }

    @Test
    void refusesAValueThatDoesNotFitItsOctalField() {
        TarWriter tar = new TarWriter(new ByteArrayOutputStream());
        assertThrows(
                IllegalArgumentException.class,
                () -> tar.add("f", TarWriter.DIRECTORY, 0755, 1L << 30, 0, 0, 0, null, null),
                "a uid over 7 octal digits");
    }
}
