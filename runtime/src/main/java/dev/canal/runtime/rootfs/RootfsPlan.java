package dev.canal.runtime.rootfs;

import java.util.List;

/**
 * What a container's root filesystem is made of: the runtime-spec's {@code root}, {@code mounts}
 * and the filesystem parts of {@code linux}, resolved against the bundle.
 *
 * @param rootfs        the root filesystem's host path
 * @param readonly      remount the root read-only once everything is mounted
 * @param propagation   the {@code rootfsPropagation} value, or null for runc's default
 * @param mounts        the spec's mounts, in order
 * @param devices       device nodes to create, in order, when /dev is a fresh tmpfs: runc's
 *                      defaults the spec does not replace, then the spec's {@code linux.devices}
 * @param maskedPaths   paths to hide: /dev/null over files, an empty read-only tmpfs over dirs
 * @param readonlyPaths paths to make read-only
 * @param console       a terminal for the process on /dev/console, or null for none
 * @param containerCgroup the container's cgroup path, when it shares the runtime's cgroup
 *                      namespace: a cgroup mount then shows that cgroup of each hierarchy, not
 *                      the hierarchy's root; null when the container has a cgroup namespace
 */
public record RootfsPlan(
        String rootfs,
        boolean readonly,
        String propagation,
        List<Mount> mounts,
        List<Device> devices,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        Console console,
        String containerCgroup) {

    /**
     * {@code process.terminal}: the path the process opens it by ({@code /dev/pts/0} of the
     * container's devpts, or {@code /dev/console}), the size to give it (0 for the default) and
     * who owns its peer, as the host sees them (in a user namespace, the mapped ids).
     */
    public record Console(String path, int rows, int columns, int hostUid, int hostGid) {}

    /** One entry of the spec's {@code mounts} ({@code config.md#mounts}). */
    public record Mount(String destination, String type, String source, List<String> options) {}

    /**
     * A device node: one entry of {@code linux.devices} ({@code config-linux.md#devices}), or a
     * default one.
     *
     * @param type 'c' character, 'b' block, 'p' FIFO ('u' is a synonym of 'c')
     */
    public record Device(String path, char type, long major, long minor, int fileMode, int uid, int gid) {}
}
