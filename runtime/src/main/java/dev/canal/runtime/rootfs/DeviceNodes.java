package dev.canal.runtime.rootfs;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.PathAt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The contents of a container's /dev when it is a fresh tmpfs: the device nodes of the plan
 * (runc's defaults, which {@code config-linux.md#default-devices} asks for, and the spec's own)
 * and the standard symlinks into /proc.
 */
final class DeviceNodes {

    /** Link name to target: the process's own descriptors, and the pty multiplexer of /dev/pts. */
    private static final List<String[]> LINKS = List.of(
            new String[] {"/dev/fd", "/proc/self/fd"},
            new String[] {"/dev/stdin", "/proc/self/fd/0"},
            new String[] {"/dev/stdout", "/proc/self/fd/1"},
            new String[] {"/dev/stderr", "/proc/self/fd/2"},
            new String[] {"/dev/ptmx", "pts/ptmx"});

    private DeviceNodes() {}

    /**
     * Creates the plan's devices, in order, then the links, and /dev/core when the kernel has a
     * /proc/kcore to point it at (CONFIG_PROC_KCORE), as runc's {@code setupDevSymlinks} does.
     */
    static void populate(RootDirectory root, List<RootfsPlan.Device> devices) {
        for (RootfsPlan.Device device : devices) {
            create(root, device);
        }
        for (String[] link : LINKS) {
            root.makeSymlink(link[1], link[0]);
        }
        if (Files.exists(Path.of("/proc/kcore"))) {
            root.makeSymlink("/proc/kcore", "/dev/core");
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
