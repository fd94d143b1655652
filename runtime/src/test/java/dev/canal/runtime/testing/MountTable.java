package dev.canal.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The mount table as the calling thread sees it, from /proc/thread-self/mountinfo (proc(5)). */
public final class MountTable {

    private MountTable() {}

    /** Each mount as "mount point fstype", in mountinfo order. */
    public static List<String> current() {
        try {
            return Files.readAllLines(Path.of("/proc/thread-self/mountinfo")).stream()
                    .map(MountTable::mountPointAndType)
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // Fields: id parent major:minor root mountpoint options [optional...] - fstype source superopts
    private static String mountPointAndType(String line) {
        String[] fields = line.split(" ");
        int separator = List.of(fields).indexOf("-");
        return fields[4] + " " + fields[separator + 1];
    }
}
