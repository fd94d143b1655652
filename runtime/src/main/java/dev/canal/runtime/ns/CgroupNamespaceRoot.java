package dev.canal.runtime.ns;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.cgroup.Cgroup;
import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.sys.Namespaces;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.ThrowawayThread;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A new cgroup namespace whose root is a container's cgroup, made by this JVM, so that the
 * thread engine's process can join it: no clone child needed for a cgroup namespace.
 *
 * <p>A cgroup namespace's root is the cgroup its creator is in at the moment of
 * unshare(2) (cgroup_namespaces(7)). A thread cannot be in another cgroup than its process on
 * cgroup v2 (outside threaded subtrees), so the whole JVM goes: it is moved into the container's
 * cgroup, a throwaway thread unshares {@code CLONE_NEWCGROUP}, and the JVM is moved back where it
 * was, every hierarchy; the namespace keeps its root. runc's init does the same with its own
 * process. It happens while the cgroup has no limits yet ({@code Cgroups.create}'s
 * {@code beforeLimits}): for those few system calls the JVM is neither counted against a memory
 * or pids limit of the container nor kept from a device. Two containers' namespaces are made
 * one after the other: the JVM can be in one place at a time.
 */
public final class CgroupNamespaceRoot {

    private static final ReentrantLock ONE_AT_A_TIME = new ReentrantLock();

    private CgroupNamespaceRoot() {}

    /**
     * A descriptor of a new cgroup namespace rooted at {@code cgroup}; the caller closes it once
     * the process has joined it.
     */
    public static OwnedFd create(Cgroup cgroup, CgroupLayout layout) {
        int jvm = (int) ProcessHandle.current().pid();
        ONE_AT_A_TIME.lock();
        try {
            List<Path> home = procsFiles(layout, read(Path.of("/proc/self/cgroup")));
            return ThrowawayThread.call("canal-cgroupns", "making the container's cgroup namespace", () -> {
                cgroup.addProcess(jvm);
                try {
                    Namespaces.unshare(linux_h.CLONE_NEWCGROUP());
                    return OwnedFd.open("/proc/thread-self/ns/cgroup", linux_h.O_RDONLY(), 0);
                } finally {
                    moveBack(home, jvm);
                }
            });
        } finally {
            ONE_AT_A_TIME.unlock();
        }
    }

    /**
     * The cgroup.procs file of each cgroup a process is in, from its /proc/PID/cgroup text
     * ("hierarchy-id:controllers:path" lines, cgroups(7)), in the hierarchies this machine has
     * mounted: the v1 ones by their first controller, "0::" the cgroup2 mount.
     */
    static List<Path> procsFiles(CgroupLayout layout, String procCgroup) {
        Map<String, Path> v1 = layout.v1Mounts();
        var files = new ArrayList<Path>();
        for (String line : procCgroup.lines().toList()) {
            String[] fields = line.split(":", 3);
            if (fields.length != 3) {
                continue;
            }
            Path mount = fields[1].isEmpty()
                    ? layout.unifiedMount().orElse(null)
                    : v1.get(fields[1].split(",")[0]);
            if (mount != null) {
                files.add(mount.resolve(fields[2].substring(1)).resolve("cgroup.procs"));
            }
        }
        return files;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Into every one of {@code home}, whatever fails: a JVM left in a container's cgroup would die with it. */
    private static void moveBack(List<Path> home, int pid) {
        UncheckedIOException failed = null;
        for (Path procs : home) {
            try {
                Files.writeString(procs, Integer.toString(pid), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                if (failed == null) {
                    failed = new UncheckedIOException(
                            "moving this JVM back to " + procs.getParent() + ": " + e.getMessage(), e);
                }
            }
        }
        if (failed != null) {
            throw failed;
        }
    }
}
