package dev.canal.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What a failed container operation must leave as it found it: the mount table, this JVM's
 * child processes, and any cgroup with "canal" in its path.
 */
public record HostSnapshot(List<String> mounts, Set<Integer> children, Set<String> canalCgroups) {

    public static HostSnapshot take() {
        return new HostSnapshot(MountTable.current(), childProcesses(), cgroupsNamedCanal());
    }

    /** The children of every thread of this JVM (proc(5), /proc/PID/task/TID/children). */
    public static Set<Integer> childProcesses() {
        var pids = new TreeSet<Integer>();
        try (Stream<Path> tasks = Files.list(Path.of("/proc/self/task"))) {
            for (Path task : tasks.toList()) {
                try {
                    for (String pid :
                            Files.readString(task.resolve("children")).trim().split(" ")) {
                        if (!pid.isEmpty()) {
                            pids.add(Integer.parseInt(pid));
                        }
                    }
                } catch (IOException threadEnded) {
                    // the thread exited while we looked
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return pids;
    }

    private static Set<String> cgroupsNamedCanal() {
        var found = new TreeSet<String>();
        try (Stream<Path> walk = Files.walk(Path.of("/sys/fs/cgroup"), 4)) {
            walk.filter(Files::isDirectory)
                    .map(Path::toString)
                    .filter(path -> path.contains("canal"))
                    .forEach(found::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }
}
