package dev.canal.runtime.rootfs;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Mounts;
import dev.canal.runtime.sys.OwnedFd;

/**
 * The container's /proc. procfs shows the processes of one pid namespace: by default the one of
 * the task that mounts it, which here is a runtime thread on the host. Linux 6.18 added the
 * {@code pidns} mount parameter, set through the file-descriptor mount API: fsopen("proc"),
 * fsconfig(FSCONFIG_SET_FD, "pidns", fd of /proc/PID/ns/pid), fsmount, move_mount. That lets a
 * thread outside the container mount the container's /proc while its first process is held.
 */
final class ProcMount {

    private ProcMount() {}

    /** @param source the spec's source, what mountinfo shows as the mount's source (null: "none") */
    static void mount(
            RootDirectory root, String destination, String source, MountOptions options, OwnedFd pidNamespace) {
        try (var context = Mounts.fsopen("proc")) {
            // mount(2) takes the source as an argument; here it is a parameter like any other.
            if (source != null) {
                Mounts.fsconfigString(context, "source", source);
            }
            if (pidNamespace != null) {
                Mounts.fsconfigFd(context, "pidns", pidNamespace);
            }
            for (String option :
                    options.data().isEmpty() ? new String[0] : options.data().split(",")) {
                int equals = option.indexOf('=');
                if (equals < 0) {
                    Mounts.fsconfigFlag(context, option);
                } else {
                    Mounts.fsconfigString(context, option.substring(0, equals), option.substring(equals + 1));
                }
            }
            Mounts.fsconfigCreate(context);
            try (var mount = Mounts.fsmount(context, attributes(options.flags()));
                    var target = root.resolve(destination)) {
                Mounts.moveMount(mount, target);
            }
        }
    }

    /** The {@code MOUNT_ATTR_*} equivalents of mount(2)'s per-mount {@code MS_*} flags. */
    private static int attributes(long flags) {
        int attributes = 0;
        if ((flags & linux_h.MS_RDONLY()) != 0) {
            attributes |= linux_h.MOUNT_ATTR_RDONLY();
        }
        if ((flags & linux_h.MS_NOSUID()) != 0) {
            attributes |= linux_h.MOUNT_ATTR_NOSUID();
        }
        if ((flags & linux_h.MS_NODEV()) != 0) {
            attributes |= linux_h.MOUNT_ATTR_NODEV();
        }
        if ((flags & linux_h.MS_NOEXEC()) != 0) {
            attributes |= linux_h.MOUNT_ATTR_NOEXEC();
        }
        if ((flags & linux_h.MS_NOATIME()) != 0) {
            attributes |= linux_h.MOUNT_ATTR_NOATIME();
        }
        if ((flags & linux_h.MS_STRICTATIME()) != 0) {
            attributes |= linux_h.MOUNT_ATTR_STRICTATIME();
        }
        if ((flags & linux_h.MS_NODIRATIME()) != 0) {
            attributes |= linux_h.MOUNT_ATTR_NODIRATIME();
        }
        return attributes;
    }
}
