package dev.canal.runtime.container;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The processes of a container, found through its pid namespace: every process whose
 * /proc/PID/ns/pid names the same namespace as the first process's. (With cgroups, the cgroup's
 * process list will say the same more cheaply.)
 */
final class PidNamespaceMembers {

    private PidNamespaceMembers() {}

    /**
     * The host pids of every process in {@code firstPid}'s pid namespace, {@code firstPid} first.
     * A container that shares the host's pid namespace has no such boundary: then only
     * {@code firstPid}, never every process of the host.
     */
    static List<Integer> of(int firstPid) {
        String namespace = namespaceOf(firstPid);
        List<Integer> members = new ArrayList<>(List.of(firstPid));
        if (namespace.isEmpty()
                || namespace.equals(namespaceOf(ProcessHandle.current().pid()))) {
            return members;
        }
        try (Stream<Path> entries = Files.list(Path.of("/proc"))) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (name.chars().allMatch(Character::isDigit)
                        && Integer.parseInt(name) != firstPid
                        && namespace.equals(namespaceOf(Integer.parseInt(name)))) {
                    members.add(Integer.parseInt(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return members;
    }

    /** The "pid:[inode]" of a process's pid namespace, or "" if it is gone. */
    private static String namespaceOf(long pid) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/" + pid + "/ns/pid")).toString();
        } catch (IOException gone) {
            return "";
        }
    }
}
