package dev.canal.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

class CStringsTest {

    @Test
    void copiesUtf8WithATerminatingNul() {
        try (var arena = Arena.ofConfined()) {
            MemorySegment s = CStrings.allocate(arena, "/tmp/h\u00e9");
            assertEquals(9, s.byteSize(), "8 UTF-8 bytes and the NUL");
            assertEquals(0, s.get(ValueLayout.JAVA_BYTE, 8));
            assertEquals("/tmp/h\u00e9", CStrings.read(s));
        }
    }

    @Test
    void refusesAnEmbeddedNulThatCWouldSilentlyTruncateAt() {
        try (var arena = Arena.ofConfined()) {
            var error = assertThrows(IllegalArgumentException.class, () -> CStrings.allocate(arena, "/tmp\0/etc"));
            assertEquals("string contains a NUL byte: /tmp\\0/etc", error.getMessage());
        }
    }

    @Test
    void buildsANullTerminatedArrayLikeArgv() {
        try (var arena = Arena.ofConfined()) {
            MemorySegment argv = CStrings.allocateArray(arena, List.of("sh", "-c", "exit 7"));
            assertEquals(4 * ValueLayout.ADDRESS.byteSize(), argv.byteSize());
            assertEquals("sh", CStrings.read(argv.getAtIndex(ValueLayout.ADDRESS, 0)));
            assertEquals("exit 7", CStrings.read(argv.getAtIndex(ValueLayout.ADDRESS, 2)));
            assertEquals(MemorySegment.NULL, argv.getAtIndex(ValueLayout.ADDRESS, 3));
        }
    }

    @Test
    void nullBecomesTheNullPointer() {
        try (var arena = Arena.ofConfined()) {
            assertEquals(MemorySegment.NULL, CStrings.allocateOrNull(arena, null));
            assertThrows(IllegalArgumentException.class, () -> CStrings.read(MemorySegment.NULL));
        }
    }
}
