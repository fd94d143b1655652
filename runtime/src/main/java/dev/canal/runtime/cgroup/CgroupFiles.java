package dev.canal.runtime.cgroup;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.SyscallException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reading and writing cgroup interface files. Every limit is a small text file in the cgroup's
 * directory; writing a value is one write(2) that the kernel parses and may refuse (EINVAL for a
 * malformed value, EBUSY for a limit below current usage). The write is done with our own
 * open(2)/write(2) so the kernel's errno reaches the message unchanged.
 */
public final class CgroupFiles {

    private CgroupFiles() {}

    /** Writes {@code value} to {@code directory/file} in one write(2). */
    public static void write(Path directory, String file, String value) {
        Path path = directory.resolve(file);
        try (var fd = OwnedFd.open(path.toString(), linux_h.O_WRONLY(), 0)) {
            fd.writeFully(value.getBytes(StandardCharsets.UTF_8));
        } catch (SyscallException e) {
            // The sys message is "write(fd 5): EINVAL (Invalid argument)"; the file says more than the fd.
            String error = e.getMessage().substring(e.getMessage().lastIndexOf("): ") + 3);
            throw new CgroupException("writing \"" + value + "\" to " + path + ": " + error, e);
        }
    }

    /** The whole file, trailing newline removed. */
    public static String read(Path directory, String file) {
        try {
            return Files.readString(directory.resolve(file)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + directory.resolve(file), e);
        }
    }

    /**
     * Whether the interface file exists: the kernel offers it for this controller and version.
     * A null directory stands for a v1 controller that is not mounted, which has no files.
     */
    public static boolean exists(Path directory, String file) {
        return directory != null && Files.exists(directory.resolve(file));
    }

    /** A file holding one number; "max" (cgroup v2's "unlimited") reads as -1. */
    public static long readLong(Path directory, String file) {
        return parseLong(read(directory, file));
    }

    /** {@link #readLong} that reads 0 when the kernel does not offer the file. */
    public static long readLongIfPresent(Path directory, String file) {
        return exists(directory, file) ? readLong(directory, file) : 0;
    }

    static long parseLong(String value) {
        return value.equals("max") ? -1 : Long.parseUnsignedLong(value);
    }

    /** A "flat keyed" file (cgroup-v2.rst, Format): one "key value" pair per line, as memory.stat and cpu.stat. */
    public static Map<String, Long> readKeyed(Path directory, String file) {
        var values = new LinkedHashMap<String, Long>();
        if (!exists(directory, file)) {
            return values;
        }
        for (String line : read(directory, file).split("\n")) {
            String[] fields = line.strip().split("\\s+");
            if (fields.length == 2) {
                values.put(fields[0], parseLong(fields[1]));
            }
        }
        return values;
    }

    /** The non-empty lines of a file, for cgroup.procs and the per-device files. */
    public static List<String> readLines(Path directory, String file) {
        var lines = new ArrayList<String>();
        for (String line : read(directory, file).split("\n")) {
            if (!line.isBlank()) {
                lines.add(line.strip());
            }
        }
        return lines;
    }

    /** The process ids in cgroup.procs; a vanished cgroup has none. */
    public static List<Integer> processIds(Path directory) {
        try {
            List<Integer> pids = new ArrayList<>();
            for (String line : Files.readAllLines(directory.resolve("cgroup.procs"))) {
                if (!line.isBlank()) {
                    pids.add(Integer.parseInt(line.strip()));
                }
            }
            return pids;
        } catch (NoSuchFileException gone) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + directory.resolve("cgroup.procs"), e);
        }
    }
}
