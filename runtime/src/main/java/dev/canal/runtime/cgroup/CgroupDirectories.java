package dev.canal.runtime.cgroup;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Making and removing cgroup directories. mkdir(2) in a cgroup filesystem creates a cgroup and
 * the kernel fills it with interface files; rmdir(2) removes it once no process is left in it
 * (EBUSY otherwise, for a moment also after the last process exited: the kernel drops a dying
 * task's reference a little after wait(2) reports it gone).
 */
public final class CgroupDirectories {

    private static final int REMOVE_ATTEMPTS = 200;

    private CgroupDirectories() {}

    /** Creates {@code directory} and its missing parents; returns those it created, outermost first. */
    public static List<Path> create(Path directory) {
        var missing = new ArrayList<Path>();
        for (Path p = directory; p != null && !Files.isDirectory(p); p = p.getParent()) {
            missing.addFirst(p);
        }
        var created = new ArrayList<Path>();
        try {
            for (Path p : missing) {
                try {
                    Files.createDirectory(p);
                    created.add(p);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another runtime created the shared parent at the same moment: fine
                }
            }
            return created;
        } catch (IOException e) {
            removeAll(created);
            throw new CgroupException("creating cgroup " + directory + ": " + describe(e), e);
        }
    }

    /** Removes the directories {@link #create} returned, innermost first, leaving any another cgroup still uses. */
    public static void removeAll(List<Path> created) {
        for (Path p : created.reversed()) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException inUse) {
                // a parent shared with another container, or a child the kernel still holds: leave it
            }
        }
    }

    /**
     * Removes a cgroup directory and the child cgroups a container may have made inside it (a
     * systemd in the container does), deepest first, retrying while the kernel still holds
     * exited tasks (EBUSY). A cgroup's interface files need no removal: rmdir takes them along.
     *
     * <p>Most cgroups have no child: one rmdir is tried first, and only if it fails is the
     * directory listed for children, which stats each of its few dozen interface files.
     */
    public static void remove(Path directory) {
        try {
            Files.deleteIfExists(directory);
            return;
        } catch (IOException childrenOrTasks) {
            // EBUSY: child cgroups (removed below) or tasks the kernel still holds (retried)
        }
        for (Path child : childCgroups(directory)) {
            remove(child);
        }
        for (int attempt = 1; ; attempt++) {
            try {
                Files.deleteIfExists(directory);
                return;
            } catch (NoSuchFileException gone) {
                return;
            } catch (DirectoryNotEmptyException raced) {
                throw new CgroupException(
                        "removing cgroup " + directory + ": a child cgroup appeared while it was being removed");
            } catch (IOException e) {
                if (attempt >= REMOVE_ATTEMPTS) {
                    throw new CgroupException(
                            "removing cgroup " + directory + ": " + describe(e) + " (processes still in it: "
                                    + CgroupFiles.processIds(directory) + ")",
                            e);
                }
                sleepBriefly();
            }
        }
    }

    private static List<Path> childCgroups(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isDirectory).toList();
        } catch (NoSuchFileException gone) {
            return List.of();
        } catch (IOException e) {
            throw new CgroupException("listing cgroup " + directory + ": " + describe(e), e);
        }
    }

    private static String describe(IOException e) {
        return e instanceof FileSystemException fs && fs.getReason() != null ? fs.getReason() : e.toString();
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(5);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CgroupException("interrupted while removing a cgroup", e);
        }
    }
}
