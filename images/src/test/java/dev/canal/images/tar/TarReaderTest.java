package dev.canal.images.tar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.canal.images.testing.TarBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Numbers a hostile or broken tar states: each is refused with one line naming the entry and
 * the field, where a Java exception's own text ({@code For input string}, an index out of
 * bounds) or a silently wrapped number came out before.
 */
class TarReaderTest {

    /** Reads every entry and all its data, as an unpack does. */
    private static void readAll(byte[] archive) throws IOException {
        var tar = new TarReader(new ByteArrayInputStream(archive));
        for (TarEntry entry = tar.next(); entry != null; entry = tar.next()) {
            tar.content().readAllBytes();
        }
    }

    /** A base-256 field: the high bit of the first byte set, then the value big-endian. */
    private static byte[] base256(int length, int first, int rest) {
        byte[] field = new byte[length];
        Arrays.fill(field, (byte) rest);
        field[0] = (byte) first;
        return field;
    }

    static List<Object[]> badNumbers() {
        return List.of(
                new Object[] {
                    "negative pax size",
                    new TarBuilder().pax("size", "-5").file("f", "data").build(),
                    "tar entry 'f': pax size -5 is negative"
                },
                new Object[] {
                    "pax size beyond 64 bits",
                    new TarBuilder()
                            .pax("size", "99999999999999999999")
                            .file("f", "data")
                            .build(),
                    "tar entry 'f': pax size '99999999999999999999' is too large for 64 bits"
                },
                new Object[] {
                    "pax size not a number",
                    new TarBuilder().pax("size", "12k").file("f", "data").build(),
                    "tar entry 'f': pax size '12k' is not a whole number"
                },
                new Object[] {
                    "pax uid not a number",
                    new TarBuilder().pax("uid", "root").file("f", "data").build(),
                    "tar entry 'f': pax uid 'root' is not a whole number"
                },
                new Object[] {
                    "pax gid beyond uid_t",
                    new TarBuilder().pax("gid", "4294967296").file("f", "data").build(),
                    "tar entry 'f': gid 4294967296 is not a user or group id"
                },
                new Object[] {
                    "pax mtime not a time",
                    new TarBuilder().pax("mtime", "yesterday").file("f", "data").build(),
                    "tar entry 'f': pax mtime 'yesterday' is not a time in seconds"
                },
                new Object[] {
                    "pax mtime beyond 64 bits",
                    new TarBuilder()
                            .pax("mtime", "1" + "0".repeat(30) + ".5")
                            .file("f", "data")
                            .build(),
                    "tar entry 'f': pax mtime '1" + "0".repeat(30) + ".5' is too large for 64 bits"
                },
                new Object[] {
                    "base-256 size beyond 64 bits",
                    new TarBuilder()
                            .rawField(124, base256(12, 0x80, 0xff))
                            .file("f", "data")
                            .build(),
                    "tar entry 'f': header field size is too large for 64 bits"
                },
                new Object[] {
                    "negative base-256 size",
                    new TarBuilder()
                            .rawField(124, base256(12, 0xff, 0xff))
                            .file("f", "data")
                            .build(),
                    "tar entry 'f': header field size -1 is negative"
                },
                new Object[] {
                    "base-256 uid beyond uid_t",
                    new TarBuilder()
                            .rawField(108, base256(8, 0x80, 0xff))
                            .file("f", "data")
                            .build(),
                    "tar entry 'f': uid 72057594037927935 is not a user or group id"
                },
                new Object[] {
                    "octal field with other characters",
                    new TarBuilder()
                            .rawField(136, "12345678 9x\0".getBytes(StandardCharsets.US_ASCII))
                            .file("f", "data")
                            .build(),
                    "tar entry 'f': header field mtime is not an octal number"
                },
                new Object[] {
                    "pax record length past the header's end",
                    new TarBuilder()
                            .pax("comment", "x")
                            .rawPax("2147483647 a=b\n")
                            .file("f", "data")
                            .build(),
                    "tar entry 'PaxHeaders/x': its extended header has a malformed record"
                },
                new Object[] {
                    "libarchive xattr not base64",
                    new TarBuilder()
                            .pax("LIBARCHIVE.xattr.user.note", "!!not base64!!")
                            .file("f", "data")
                            .build(),
                    "tar entry 'f': pax LIBARCHIVE.xattr.user.note is not base64: Illegal base64 character 21"
                });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badNumbers")
    void aBadNumberIsOneLineNamingTheEntryAndField(String what, byte[] archive, String message) {
        var error = assertThrows(IOException.class, () -> readAll(archive));
        assertEquals(message, error.getMessage());
    }

    @Test
    void goodLargeAndNegativeNumbersStillRead() throws IOException {
        byte[] archive = new TarBuilder()
                .rawField(108, base256(8, 0x80, 0))
                .rawField(115, new byte[] {(byte) 0xfe})
                .rawField(136, base256(12, 0xff, 0xff))
                .pax("mtime", "-1.5")
                .file("f", "data")
                .build();
        TarEntry entry = new TarReader(new ByteArrayInputStream(archive)).next();
        assertEquals(254, entry.uid(), "base-256 uid");
        assertEquals(-2, entry.mtimeSeconds(), "pax mtime before 1970: -1.5 s is -2 s + 0.5 s");
        assertEquals(500_000_000, entry.mtimeNanos());
    }
}
