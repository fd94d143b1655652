package dev.canal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Sizes as docker's go-units RAMInBytes reads them. */
class ByteSizeTest {

    @Test
    void sizesAreDockersPowersOf1024() {
        assertEquals(32L << 20, ByteSize.parse("32m", "-m"));
        assertEquals(32L << 20, ByteSize.parse("32MB", "-m"));
        assertEquals(32L << 20, ByteSize.parse("32MiB", "-m"));
        assertEquals(2L << 30, ByteSize.parse("2g", "-m"));
        assertEquals(1L << 40, ByteSize.parse("1t", "-m"));
        assertEquals(1000, ByteSize.parse("1000", "-m"));
        assertEquals(1000, ByteSize.parse("1000b", "-m"));
        assertEquals(0, ByteSize.parse("0", "-m"), "docker's -m 0: no limit");
    }

    @Test
    void fractionsAreTruncatedToBytes() {
        assertEquals(1536, ByteSize.parse("1.5k", "--shm-size"));
        assertEquals(3L << 29, ByteSize.parse("1.5g", "--shm-size"));
        assertEquals(1, ByteSize.parse("1.9", "--shm-size"));
    }

    @Test
    void anythingElseIsRefusedNamingTheOption() {
        assertEquals(
                "-m 12x: not a size (a number with an optional unit k, m, g, t or p, as in 64m or 1.5g)",
                assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("12x", "-m"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("m", "-m"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("-5m", "-m"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("", "-m"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("99999999999g", "-m"));
    }
}
