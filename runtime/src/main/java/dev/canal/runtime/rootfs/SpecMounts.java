package dev.canal.runtime.rootfs;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.FileStatus;
import dev.canal.runtime.sys.Mounts;
import dev.canal.runtime.sys.OwnedFd;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Mounts one entry of the spec's {@code mounts} inside the rootfs, before pivot_root. The
 * destination is created if missing and always resolved inside the rootfs (see
 * {@link RootDirectory}); the mount targets the resolved descriptor.
 */
final class SpecMounts {

    private SpecMounts() {}

    /**
     * @param containerCgroup the container's cgroup path, for a cgroup mount when the container
     *     has no cgroup namespace of its own ({@link RootfsPlan#containerCgroup()}), else null
     */
    static void mount(RootDirectory root, RootfsPlan.Mount mount, OwnedFd pidNamespace, String containerCgroup) {
        MountOptions options = MountOptions.parse(mount.options());
        if (!options.isBind() && ("proc".equals(mount.type()) || "sysfs".equals(mount.type()))) {
            requireOrdinaryDirectory(root, mount);
        }
        if (options.isBind()) {
            bind(root, mount.source(), mount.destination(), options);
        } else if ("proc".equals(mount.type())) {
            root.makeDirectories(mount.destination(), 0755);
            ProcMount.mount(root, mount.destination(), mount.source(), options, pidNamespace);
        } else if ("cgroup".equals(mount.type()) || "cgroup2".equals(mount.type())) {
            root.makeDirectories(mount.destination(), 0755);
            CgroupMount.mount(root, mount.destination(), mount.source(), options, containerCgroup);
        } else {
            root.makeDirectories(mount.destination(), 0755);
            try (var target = root.resolve(mount.destination())) {
                Mounts.mount(
                        mount.source(),
                        RootDirectory.procPath(target),
                        mount.type(),
                        options.flags(),
                        emptyToNull(options.data()));
            }
        }
        applyPropagation(root, mount.destination(), options);
    }

    /**
     * procfs and sysfs go on a directory of the image or a new one, never through a symlink, as
     * runc's mountToRootfs refuses: an image whose /proc leads elsewhere would move the kernel's
     * interfaces out from under the masked and read-only paths meant to cover them.
     */
    private static void requireOrdinaryDirectory(RootDirectory root, RootfsPlan.Mount mount) {
        FileStatus existing = root.statWithoutFollowing(mount.destination());
        if (existing != null && !existing.isDirectory()) {
            throw new IllegalArgumentException(
                    "filesystem \"" + mount.type() + "\" must be mounted on ordinary directory");
        }
    }

    /**
     * A bind mount takes two mount(2) calls: the first, with MS_BIND, ignores every flag but
     * MS_REC, so read-only and the like need a remount of the new mount (mount(2), "Creating a
     * bind mount"). The destination is created as a directory or an empty file to match the
     * source.
     */
    static void bind(RootDirectory root, String source, String destination, MountOptions options) {
        if (Files.isDirectory(Path.of(source))) {
            root.makeDirectories(destination, 0755);
        } else {
            root.makeFile(destination);
        }
        try (var target = root.resolve(destination)) {
            Mounts.mount(
                    source,
                    RootDirectory.procPath(target),
                    null,
                    options.flags() & (linux_h.MS_BIND() | linux_h.MS_REC()),
                    null);
        }
        if (options.flagsNeedingRemount() != 0) {
            // Resolve again: the earlier descriptor refers to the directory now covered.
            try (var mounted = root.resolve(destination)) {
                Mounts.mount(
                        null,
                        RootDirectory.procPath(mounted),
                        null,
                        linux_h.MS_BIND() | linux_h.MS_REMOUNT() | options.flagsNeedingRemount(),
                        null);
            }
        }
    }

    private static void applyPropagation(RootDirectory root, String destination, MountOptions options) {
        if (options.propagation() != 0) {
            try (var mounted = root.resolve(destination)) {
                Mounts.mount(null, RootDirectory.procPath(mounted), null, options.propagation(), null);
            }
        }
    }

    private static String emptyToNull(String data) {
        return data.isEmpty() ? null : data;
    }
}
