package dev.canal.runtime.ns;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.SyscallException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The uid and gid maps of a new user namespace (user_namespaces(7)): which host ids the ids
 * inside stand for. Until they are written, every id inside is the overflow id 65534.
 *
 * <p>Each map is written once, in a single write(2), as lines of {@code ID-INSIDE ID-OUTSIDE
 * LENGTH}, to /proc/PID/uid_map and gid_map of a process in the namespace, by a process with
 * CAP_SETUID / CAP_SETGID in the parent namespace. A privileged writer may leave setgroups(2)
 * allowed, which the container needs for its supplementary groups.
 */
public final class IdMappings {

    /** One line of a map. */
    public record Range(long inside, long outside, long length) {}

    private IdMappings() {}

    /** Writes both maps of process {@code pid}'s user namespace. */
    public static void write(int pid, List<Range> uids, List<Range> gids) {
        write(pid, "uid_map", "linux.uidMappings", uids);
        write(pid, "gid_map", "linux.gidMappings", gids);
    }

    private static void write(int pid, String file, String specField, List<Range> ranges) {
        var text = new StringBuilder();
        for (Range range : ranges) {
            text.append(range.inside())
                    .append(' ')
                    .append(range.outside())
                    .append(' ')
                    .append(range.length())
                    .append('\n');
        }
        try (var map = OwnedFd.open("/proc/" + pid + "/" + file, linux_h.O_WRONLY(), 0)) {
            map.writeFully(text.toString().getBytes(StandardCharsets.UTF_8));
        } catch (SyscallException e) {
            String first = ranges.isEmpty() ? "none" : text.substring(0, text.indexOf("\n"));
            throw new IllegalArgumentException(
                    specField + ": the kernel refused the map (" + ranges.size()
                            + (ranges.size() == 1 ? " range: " : " ranges, the first ") + first + "): "
                            + e.getMessage(),
                    e);
        }
    }
}
