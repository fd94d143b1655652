package dev.canal.runtime.ns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The clock offsets of a new time namespace (time_namespaces(7)), written to
 * /proc/TID/timens_offsets of the task that unshared it, as {@code CLOCK SECONDS NANOSECONDS}
 * lines. The kernel accepts them only until the first process enters the namespace. The file
 * exists at /proc/TID/ (for a thread too), not under /proc/self/task/TID/.
 */
public final class TimeOffsets {

    private TimeOffsets() {}

    /** Writes {@code offsets} (clock name to {seconds, nanoseconds}) for task {@code tid}. */
    public static void write(int tid, Map<String, long[]> offsets) {
        var text = new StringBuilder();
        offsets.forEach((clock, offset) -> text.append(clock)
                .append(' ')
                .append(offset[0])
                .append(' ')
                .append(offset[1])
                .append('\n'));
        try {
            Files.writeString(Path.of("/proc/" + tid + "/timens_offsets"), text);
        } catch (IOException e) {
            throw new UncheckedIOException("linux.timeOffsets: writing /proc/" + tid + "/timens_offsets", e);
        }
    }
}
