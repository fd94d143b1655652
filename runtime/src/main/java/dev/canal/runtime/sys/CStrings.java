package dev.canal.runtime.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * C strings and NULL-terminated string arrays ({@code char *argv[]}) in native memory.
 *
 * <p>C ends a string at the first NUL byte, so a Java string holding one would be cut short
 * silently: {@code "/tmp\0/etc"} would become {@code "/tmp"}. Such strings are refused. All
 * strings are UTF-8, which is what Linux paths and environment variables are in practice.
 */
public final class CStrings {

    /** The largest string read back from C: Linux paths are at most PATH_MAX (4096). */
    private static final long MAX_READ = 1 << 20;

    private CStrings() {}

    /**
     * A NUL-terminated UTF-8 copy of {@code value}, living as long as {@code arena}. Copied as
     * bytes, not with {@code arena.allocateFrom(value, UTF_8)}: that writes the NUL through a
     * layout's var handle and copies through a typed array copy, whose first use initialises
     * the JDK's {@code LayoutPath} and a type switch, eight classes spun in every new JVM that the
     * AOT cache cannot hold (docs/start-time.md).
     */
    public static MemorySegment allocate(Arena arena, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("string contains a NUL byte: " + value.replace("\0", "\\0"));
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        byte[] terminated = Arrays.copyOf(bytes, bytes.length + 1); // the last byte is the NUL
        return arena.allocate(terminated.length).copyFrom(MemorySegment.ofArray(terminated));
    }

    /** {@link #allocate}, or the NULL pointer for a missing (null) value, as C APIs expect. */
    public static MemorySegment allocateOrNull(Arena arena, String value) {
        return value == null ? MemorySegment.NULL : allocate(arena, value);
    }

    /**
     * A {@code char *[]} of copies of {@code values}, ended by a NULL pointer: the shape of
     * execve(2)'s argv and envp.
     */
    public static MemorySegment allocateArray(Arena arena, List<String> values) {
        // Each pointer written as its address, a long (64-bit Linux: a pointer is a long): the
        // ADDRESS layout's own VarHandle would be one more set of method handle classes spun at
        // run time in every JVM (docs/start-time.md).
        MemorySegment array = arena.allocate(ValueLayout.JAVA_LONG, values.size() + 1L);
        for (int i = 0; i < values.size(); i++) {
            array.setAtIndex(
                    ValueLayout.JAVA_LONG, i, allocate(arena, values.get(i)).address());
        }
        array.setAtIndex(ValueLayout.JAVA_LONG, values.size(), MemorySegment.NULL.address());
        return array;
    }

    /**
     * The string a C function returned as {@code char *}. FFM gives such a pointer a size of
     * zero, since C does not say how long it is; it is widened to read up to the NUL.
     */
    public static String read(MemorySegment pointer) {
        if (pointer.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException("NULL string pointer");
        }
        return pointer.reinterpret(MAX_READ).getString(0, StandardCharsets.UTF_8);
    }
}
