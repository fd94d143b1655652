package dev.canal.images.rootfs;

import dev.canal.bindings.linux.linux_h;
import dev.canal.images.ImageException;
import dev.canal.runtime.sys.Mounts;
import dev.canal.runtime.sys.Namespaces;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.SyscallException;
import dev.canal.runtime.sys.ThrowawayThread;
import dev.canal.runtime.sys.WorkingDirectory;
import java.nio.file.Path;
import java.util.List;

/**
 * Mounts overlayfs (Documentation/filesystems/overlayfs.rst) over a stack of read-only lower
 * directories, topmost first, with a writable upper directory and its work directory.
 *
 * <p>The lower directories have to reach the kernel somehow, and the classic way, one
 * {@code lowerdir=a:b:c} option in mount(2)'s data, is limited to one page: 4096 bytes for all
 * options together. Two ways around it, chosen in this order:
 * <ol>
 *   <li>{@link Method#LOWERDIR_APPEND}: the mount API (fsopen(2), fsconfig(2)) with one
 *       {@code lowerdir+} option per layer, each a separate string (Linux 6.8 and later); the
 *       only limit left is overlayfs's own 500 lower layers.</li>
 *   <li>{@link Method#SHORT_NAMES}: mount(2) with each layer named by a short relative path
 *       ({@code l/0123456789ab}, a symlink) resolved from the store's directory, as Docker's
 *       overlay2 driver does. The working directory is changed on a throwaway thread that first
 *       unshares its filesystem context (unshare(2) {@code CLONE_FS}), so the rest of the JVM
 *       keeps its own.</li>
 * </ol>
 *
 * <p>An upper directory thrown away after one run ({@code docker run --rm}) is mounted
 * {@link Upper#VOLATILE}: overlayfs then skips its syncs, above all the one of the whole upper
 * filesystem at unmount (generic_shutdown_super calls sync_fs, and overlayfs's syncs the upper
 * filesystem: about a millisecond here, more while anything else on that disk writes). Such an
 * upper cannot be mounted again until {@code work/incompat/volatile} in its work directory is
 * removed (overlayfs.rst, "Volatile mount").
 */
public final class OverlayMount {

    /** How the lower directories are given to the kernel. */
    public enum Method {
        LOWERDIR_APPEND,
        SHORT_NAMES
    }

    /** Whether the upper directory's changes must reach the disk (kept) or not (thrown away after the run). */
    public enum Upper {
        KEPT,
        VOLATILE
    }

    /** mount(2) copies at most one page of options (copy_mount_options in fs/namespace.c). */
    static final int OPTIONS_PAGE = 4096;

    private OverlayMount() {}

    /**
     * Mounts the overlay at {@code target}: tries {@code lowerdir+} first and falls back to
     * short names when the kernel does not know it. {@code lowerShortNames} are relative to
     * {@code base} and topmost first.
     */
    public static Method mount(
            Path base, List<String> lowerShortNames, Path upper, Upper kind, Path work, Path target) {
        try {
            mount(Method.LOWERDIR_APPEND, base, lowerShortNames, upper, kind, work, target);
            return Method.LOWERDIR_APPEND;
        } catch (SyscallException e) {
            // Before 6.8 overlayfs rejects the unknown option: at fsconfig(2) if it parses options
            // itself (6.5+), at FSCONFIG_CMD_CREATE through the legacy option string before that.
            if (e.errno() != linux_h.EINVAL()) {
                throw e;
            }
            mount(Method.SHORT_NAMES, base, lowerShortNames, upper, kind, work, target);
            return Method.SHORT_NAMES;
        }
    }

    /** Mounts with one given method, failing if the kernel does not support it. */
    public static void mount(
            Method method, Path base, List<String> lowerShortNames, Path upper, Upper kind, Path work, Path target) {
        if (lowerShortNames.isEmpty()) {
            throw new ImageException("an overlay needs at least one lower layer");
        }
        switch (method) {
            case LOWERDIR_APPEND -> mountAppending(base, lowerShortNames, upper, kind, work, target);
            case SHORT_NAMES -> mountWithShortNames(base, lowerShortNames, upper, kind, work, target);
        }
    }

    /** fsopen, then one fsconfig {@code lowerdir+} per layer (each value may be 256 bytes), create, fsmount, move_mount. */
    private static void mountAppending(
            Path base, List<String> lowerShortNames, Path upper, Upper kind, Path work, Path target) {
        try (OwnedFd context = Mounts.fsopen("overlay")) {
            for (String lower : lowerShortNames) {
                Mounts.fsconfigString(context, "lowerdir+", base.resolve(lower).toString());
            }
            Mounts.fsconfigString(context, "upperdir", upper.toString());
            Mounts.fsconfigString(context, "workdir", work.toString());
            if (kind == Upper.VOLATILE) {
                Mounts.fsconfigFlag(context, "volatile");
            }
            Mounts.fsconfigCreate(context);
            try (OwnedFd mount = Mounts.fsmount(context, 0)) {
                Mounts.moveMount(mount, target.toString());
            }
        }
    }

    private static void mountWithShortNames(
            Path base, List<String> lowerShortNames, Path upper, Upper kind, Path work, Path target) {
        String options = "lowerdir=" + String.join(":", lowerShortNames) + ",upperdir=" + upper + ",workdir=" + work
                + (kind == Upper.VOLATILE ? ",volatile" : "");
        if (options.length() >= OPTIONS_PAGE) {
            throw new ImageException(lowerShortNames.size() + " layers need " + options.length()
                    + " bytes of overlay mount options, more than the kernel's limit of one page (" + OPTIONS_PAGE
                    + " bytes); this kernel has no lowerdir+ (Linux 6.8)");
        }
        ThrowawayThread.run("canal-overlay-mount", "mounting the overlay at " + target, () -> {
            // The relative lower paths resolve from this thread's working directory: give the
            // thread a filesystem context of its own before changing it.
            Namespaces.unshare(linux_h.CLONE_FS());
            WorkingDirectory.change(base.toString());
            Mounts.mount("overlay", target.toString(), "overlay", 0, options);
        });
    }
}
