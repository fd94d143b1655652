package dev.canal.runtime.rootfs;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.PathAt;
import java.util.List;

/**
 * The contents of a container's /dev when it is a fresh tmpfs: the device nodes every program
 * expects, the runtime-spec's own devices, and the standard symlinks into /proc
 * ({@code config-linux.md#default-devices}).
 */
final class DeviceNodes {

    /** null, zero, full, random, urandom and tty: character devices 1:3, 1:5, 1:7, 1:8, 1:9, 5:0. */
    static final List<RootfsPlan.Device> DEFAULTS = List.of(
            new RootfsPlan.Device("/dev/null", 'c', 1, 3, 0666, 0, 0),
            new RootfsPlan.Device("/dev/zero", 'c', 1, 5, 0666, 0, 0),
            new RootfsPlan.Device("/dev/full", 'c', 1, 7, 0666, 0, 0),
            new RootfsPlan.Device("/dev/random", 'c', 1, 8, 0666, 0, 0),
            new RootfsPlan.Device("/dev/urandom", 'c', 1, 9, 0666, 0, 0),
            new RootfsPlan.Device("/dev/tty", 'c', 5, 0, 0666, 0, 0));

    /** Link name to target: the process's own descriptors, and the pty multiplexer of /dev/pts. */
    private static final List<String[]> LINKS = List.of(
            new String[] {"/dev/fd", "/proc/self/fd"},
            new String[] {"/dev/stdin", "/proc/self/fd/0"},
            new String[] {"/dev/stdout", "/proc/self/fd/1"},
            new String[] {"/dev/stderr", "/proc/self/fd/2"},
            new String[] {"/dev/ptmx", "pts/ptmx"});

    private DeviceNodes() {}

    /** Creates the default devices, then the spec's (which may replace none of them), then the links. */
    static void populate(RootDirectory root, List<RootfsPlan.Device> specDevices) {
        for (RootfsPlan.Device device : DEFAULTS) {
            if (specDevices.stream().noneMatch(d -> d.path().equals(device.path()))) {
                create(root, device);
            }
        }
        for (RootfsPlan.Device device : specDevices) {
            create(root, device);
        }
        for (String[] link : LINKS) {
            root.makeSymlink(link[1], link[0]);
        }
    }

    /**
     * mknod(2) with the type bits and the permission bits. mknod applies the umask, and the umask
     * is the JVM's, so the owner and mode are set again on the created node.
     */
    private static void create(RootDirectory root, RootfsPlan.Device device) {
        int type = switch (device.type()) {
            case 'c', 'u' -> linux_h.S_IFCHR();
            case 'b' -> linux_h.S_IFBLK();
            case 'p' -> linux_h.S_IFIFO();
            default ->
                throw new IllegalArgumentException(device.path() + ": unknown device type '" + device.type() + "'");
        };
        root.makeNode(
                device.path(), type | (device.fileMode() & 07777), PathAt.deviceNumber(device.major(), device.minor()));
        try (var node = root.resolve(device.path())) {
            PathAt.chown(node, device.uid(), device.gid());
            PathAt.chmod(node, device.fileMode() & 07777);
        }
    }
}
