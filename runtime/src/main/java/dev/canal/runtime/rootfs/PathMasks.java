package dev.canal.runtime.rootfs;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Mounts;

/**
 * {@code linux.maskedPaths} and {@code linux.readonlyPaths} ({@code config-linux.md}): kernel
 * interfaces a container must not read (/proc/kcore, /sys/firmware) or write (/proc/sys,
 * /proc/sysrq-trigger). Paths are resolved inside the rootfs; one that does not exist is left
 * alone, as runc does.
 */
final class PathMasks {

    private PathMasks() {}

    /** Hides {@code path}: /dev/null bound over a file, an empty read-only tmpfs over a directory. */
    static void mask(RootDirectory root, String path) {
        if (!root.exists(path)) {
            return;
        }
        try (var target = root.resolve(path)) {
            if (root.isDirectory(path)) {
                Mounts.mount("tmpfs", RootDirectory.procPath(target), "tmpfs", linux_h.MS_RDONLY(), null);
            } else {
                Mounts.mount("/dev/null", RootDirectory.procPath(target), null, linux_h.MS_BIND(), null);
            }
        }
    }

    /**
     * Makes {@code path} and everything mounted below it read-only: bind it onto itself so it is
     * a mount of its own, then set MOUNT_ATTR_RDONLY with mount_setattr(2), which keeps the
     * mount's other flags (a classic remount would have to repeat nosuid, nodev and noexec).
     */
    static void makeReadonly(RootDirectory root, String path) {
        if (!root.exists(path)) {
            return;
        }
        try (var target = root.resolve(path)) {
            Mounts.mount(
                    RootDirectory.procPath(target),
                    RootDirectory.procPath(target),
                    null,
                    linux_h.MS_BIND() | linux_h.MS_REC(),
                    null);
        }
        try (var bound = root.resolve(path)) {
            Mounts.setAttributes(bound, true, linux_h.MOUNT_ATTR_RDONLY(), 0);
        }
    }
}
