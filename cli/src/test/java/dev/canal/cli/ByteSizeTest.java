package dev.canal.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@code -m} sizes as docker reads them. */
class ByteSizeTest {

    @Test
    void sizesAreDockersPowersOf1024() {
        assertEquals(32L << 20, ByteSize.parse("32m", "-m"));
        assertEquals(32L << 20, ByteSize.parse("32MB", "-m"));
        assertEquals(2L << 30, ByteSize.parse("2g", "-m"));
        assertEquals(1000, ByteSize.parse("1000", "-m"));
        assertEquals(
                "-m 0: not a size (a positive number with an optional k, m or g suffix)",
                assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("0", "-m"))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("m", "-m"));
        assertThrows(IllegalArgumentException.class, () -> ByteSize.parse("99999999999g", "-m"));
    }
}
