package dev.canal.runtime.rootfs;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Mounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A {@code cgroup} entry of the spec's mounts: the container's view of the cgroup filesystem.
 * On a cgroup v2 host it is one cgroup2 mount. On a v1 or hybrid host, as runc does, it is a
 * tmpfs holding one cgroup v1 mount per hierarchy the host has. Mounted by a thread in the
 * container's cgroup namespace, each shows the namespace's root as its root.
 */
final class CgroupMount {

    private static final Path HOST_CGROUPS = Path.of("/proc/self/cgroup");

    private CgroupMount() {}

    static void mount(RootDirectory root, String destination, MountOptions options) {
        try (var target = root.resolve(destination)) {
            if (Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
                Mounts.mount("cgroup2", RootDirectory.procPath(target), "cgroup2", options.flags(), null);
                return;
            }
            Mounts.mount("tmpfs", RootDirectory.procPath(target), "tmpfs",
                    linux_h.MS_NOSUID() | linux_h.MS_NODEV() | linux_h.MS_NOEXEC(), "mode=755");
        }
        for (String hierarchy : v1Hierarchies()) {
            String name = hierarchy.startsWith("name=") ? hierarchy.substring(5) : hierarchy;
            String directory = destination + "/" + name;
            root.makeDirectories(directory, 0755);
            try (var target = root.resolve(directory)) {
                Mounts.mount("cgroup", RootDirectory.procPath(target), "cgroup", options.flags(), hierarchy);
            }
        }
        if ((options.flags() & linux_h.MS_RDONLY()) != 0) {
            try (var target = root.resolve(destination)) {
                Mounts.mount(null, RootDirectory.procPath(target), null,
                        linux_h.MS_REMOUNT() | linux_h.MS_RDONLY() | linux_h.MS_NOSUID() | linux_h.MS_NODEV() | linux_h.MS_NOEXEC(), null);
            }
        }
    }

    /**
     * The v1 hierarchies, from /proc/self/cgroup (cgroups(7)): lines {@code ID:CONTROLLERS:PATH};
     * the v2 line has ID 0 and no controllers, and is skipped.
     */
    private static List<String> v1Hierarchies() {
        try {
            return Files.readAllLines(HOST_CGROUPS).stream()
                    .map(line -> line.split(":", 3)[1])
                    .filter(controllers -> !controllers.isEmpty())
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
