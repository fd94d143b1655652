package dev.canal.runtime.rootfs;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.cgroup.CgroupPath;
import dev.canal.runtime.sys.Mounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A {@code cgroup} entry of the spec's mounts: the container's view of the cgroup filesystem.
 * On a cgroup v2 host it is one cgroup2 mount. On a v1 or hybrid host, as runc does, it is a
 * tmpfs holding one directory per hierarchy the host has, which shows the container's own cgroup
 * of that hierarchy:
 * <ul>
 *   <li>with a cgroup namespace, a fresh cgroup v1 mount: mounted by a thread in the container's
 *       cgroup namespace, it shows the namespace's root, the container's cgroup, as its root;
 *   <li>without one (dockerd's default on v1), a mount would show the whole hierarchy, every
 *       other cgroup of the machine included, so, as runc's mountCgroupV1 does, the container's
 *       directory of the host's hierarchy is bind-mounted there instead.
 * </ul>
 */
final class CgroupMount {

    private static final Path HOST_CGROUPS = Path.of("/proc/self/cgroup");

    private CgroupMount() {}

    /**
     * @param source          the spec's source, shown as the source of the mount on
     *     {@code destination} (null: the filesystem's name, as runc's v1 tmpfs shows)
     * @param containerCgroup the container's cgroup path when it shares the runtime's cgroup
     *     namespace, else null
     */
    static void mount(
            RootDirectory root, String destination, String source, MountOptions options, String containerCgroup) {
        try (var target = root.resolve(destination)) {
            if (Files.exists(Path.of("/sys/fs/cgroup/cgroup.controllers"))) {
                Mounts.mount(
                        source == null ? "cgroup2" : source,
                        RootDirectory.procPath(target),
                        "cgroup2",
                        options.flags(),
                        null);
                return;
            }
            Mounts.mount(
                    source == null ? "tmpfs" : source,
                    RootDirectory.procPath(target),
                    "tmpfs",
                    linux_h.MS_NOSUID() | linux_h.MS_NODEV() | linux_h.MS_NOEXEC(),
                    "mode=755");
        }
        Map<String, Path> mountPoints = containerCgroup == null ? Map.of() : CgroupLayout.v1MountPoints();
        for (Hierarchy hierarchy : v1Hierarchies()) {
            String directory = destination + "/" + hierarchy.directoryName();
            if (containerCgroup == null) {
                root.makeDirectories(directory, 0755);
                try (var target = root.resolve(directory)) {
                    Mounts.mount(
                            "cgroup",
                            RootDirectory.procPath(target),
                            "cgroup",
                            options.flags(),
                            hierarchy.controllers());
                }
            } else if (mountPoints.containsKey(hierarchy.firstOption())) {
                Path own = CgroupPath.in(mountPoints.get(hierarchy.firstOption()), hierarchy.pathOf(containerCgroup));
                SpecMounts.bind(
                        root,
                        own.toString(),
                        directory,
                        new MountOptions(options.flags() | linux_h.MS_BIND(), 0, options.data()));
            }
        }
        if ((options.flags() & linux_h.MS_RDONLY()) != 0) {
            try (var target = root.resolve(destination)) {
                Mounts.mount(
                        null,
                        RootDirectory.procPath(target),
                        null,
                        linux_h.MS_REMOUNT()
                                | linux_h.MS_RDONLY()
                                | linux_h.MS_NOSUID()
                                | linux_h.MS_NODEV()
                                | linux_h.MS_NOEXEC(),
                        null);
            }
        }
    }

    /**
     * One v1 hierarchy as a line of /proc/self/cgroup shows it (cgroups(7)):
     * {@code ID:CONTROLLERS:PATH}, where PATH is the runtime's own cgroup there.
     */
    private record Hierarchy(String controllers, String runtimePath) {

        /** "memory", "cpu,cpuacct"; "systemd" for the named hierarchy "name=systemd". */
        String directoryName() {
            return controllers.startsWith("name=") ? controllers.substring(5) : controllers;
        }

        String firstOption() {
            return controllers.split(",")[0];
        }

        /**
         * Where the container's process is in this hierarchy: in the container's cgroup where
         * Canal made one, else (a named hierarchy, a controller Canal leaves alone) where it was
         * born, in the runtime's cgroup.
         */
        String pathOf(String containerCgroup) {
            return Stream.of(controllers.split(",")).anyMatch(CgroupLayout::holdsContainers)
                    ? containerCgroup
                    : runtimePath;
        }
    }

    /** The v1 hierarchies; the v2 line has ID 0 and no controllers, and is skipped. */
    private static List<Hierarchy> v1Hierarchies() {
        try {
            return Files.readAllLines(HOST_CGROUPS).stream()
                    .map(line -> line.split(":", 3))
                    .filter(fields -> !fields[1].isEmpty())
                    .map(fields -> new Hierarchy(fields[1], fields[2]))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
