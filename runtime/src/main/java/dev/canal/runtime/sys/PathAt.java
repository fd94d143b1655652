package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import dev.canal.bindings.linux.open_how;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * File calls relative to a directory descriptor (the *at family): they resolve a path from a
 * directory already open, not from the caller's root and working directory, so a path in a
 * container's root filesystem can be resolved while the caller still lives on the host. The
 * calls that create, link and remove take a single name in the directory, so no symlink on the
 * way can lead elsewhere: what an archive unpacker needs to build a tree.
 *
 * <p>openat2(2) with {@code RESOLVE_IN_ROOT} resolves as if the directory were the root: an
 * absolute symlink or a {@code ..} in an image cannot lead out of it. This is the kernel's
 * answer to what runc's securejoin does in user space.
 */
public final class PathAt {

    private static final MethodHandle MKDIRAT = Downcall.capturingErrno(
            "mkdirat", FunctionDescriptor.of(linux_h.C_INT, linux_h.C_INT, linux_h.C_POINTER, linux_h.C_INT));
    private static final MethodHandle MKNODAT = Downcall.capturingErrno(
            "mknodat",
            FunctionDescriptor.of(linux_h.C_INT, linux_h.C_INT, linux_h.C_POINTER, linux_h.C_INT, linux_h.C_LONG));
    private static final MethodHandle SYMLINKAT = Downcall.capturingErrno(
            "symlinkat", FunctionDescriptor.of(linux_h.C_INT, linux_h.C_POINTER, linux_h.C_INT, linux_h.C_POINTER));
    private static final MethodHandle LINKAT = Downcall.capturingErrno(
            "linkat",
            FunctionDescriptor.of(
                    linux_h.C_INT, linux_h.C_INT, linux_h.C_POINTER, linux_h.C_INT, linux_h.C_POINTER, linux_h.C_INT));
    private static final MethodHandle UNLINKAT = Downcall.capturingErrno(
            "unlinkat", FunctionDescriptor.of(linux_h.C_INT, linux_h.C_INT, linux_h.C_POINTER, linux_h.C_INT));
    private static final MethodHandle FCHOWNAT = Downcall.capturingErrno(
            "fchownat",
            FunctionDescriptor.of(
                    linux_h.C_INT, linux_h.C_INT, linux_h.C_POINTER, linux_h.C_INT, linux_h.C_INT, linux_h.C_INT));
    private static final MethodHandle CHMOD =
            Downcall.capturingErrno("chmod", FunctionDescriptor.of(linux_h.C_INT, linux_h.C_POINTER, linux_h.C_INT));

    private PathAt() {}

    /**
     * openat2(2): opens {@code path} relative to {@code directory} with {@code O_CLOEXEC} added,
     * under the {@code RESOLVE_*} restrictions in {@code resolve}.
     */
    public static OwnedFd openat2(OwnedFd directory, String path, long flags, long resolve) {
        return openat2(directory, path, flags, 0, resolve);
    }

    /**
     * openat2(2) with {@code O_CREAT} and the new file's permission bits {@code mode}, which
     * travel in {@code open_how.mode} (the kernel refuses a mode without O_CREAT or O_TMPFILE).
     */
    public static OwnedFd create(OwnedFd directory, String name, long flags, int mode, long resolve) {
        return openat2(directory, name, flags | linux_h.O_CREAT(), mode, resolve);
    }

    private static OwnedFd openat2(OwnedFd directory, String path, long flags, int mode, long resolve) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment how = arena.allocate(open_how.layout());
            open_how.flags(how, flags | linux_h.O_CLOEXEC());
            open_how.mode(how, mode);
            open_how.resolve(how, resolve);
            long fd = Syscall.call(
                    "openat2",
                    path,
                    linux_h.SYS_openat2(),
                    directory.fd(),
                    CStrings.allocate(arena, path).address(),
                    how.address(),
                    how.byteSize());
            return OwnedFd.adopt((int) fd);
        }
    }

    /** mkdirat(2). */
    public static void mkdir(OwnedFd directory, String name, int mode) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            Downcall.check(
                    (int) MKDIRAT.invokeExact(state, directory.fd(), CStrings.allocate(arena, name), mode),
                    state,
                    "mkdirat",
                    name);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /** mknodat(2): a device node ({@code S_IFCHR}/{@code S_IFBLK}), FIFO or empty regular file. */
    public static void mknod(OwnedFd directory, String name, int mode, long device) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            Downcall.check(
                    (int) MKNODAT.invokeExact(state, directory.fd(), CStrings.allocate(arena, name), mode, device),
                    state,
                    "mknodat",
                    name);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /** symlinkat(2): {@code name} in {@code directory} pointing at {@code target}. */
    public static void symlink(String target, OwnedFd directory, String name) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            int result = (int) SYMLINKAT.invokeExact(
                    state, CStrings.allocate(arena, target), directory.fd(), CStrings.allocate(arena, name));
            Downcall.check(result, state, "symlinkat", name + " -> " + target);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /**
     * linkat(2) without {@code AT_SYMLINK_FOLLOW}: a new name {@code toName} in {@code toDirectory}
     * for the very file {@code fromName} in {@code fromDirectory} is (a symlink itself, if it is one).
     */
    public static void link(OwnedFd fromDirectory, String fromName, OwnedFd toDirectory, String toName) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            int result = (int) LINKAT.invokeExact(
                    state,
                    fromDirectory.fd(),
                    CStrings.allocate(arena, fromName),
                    toDirectory.fd(),
                    CStrings.allocate(arena, toName),
                    0);
            Downcall.check(result, state, "linkat", toName + " => " + fromName);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /** unlinkat(2): removes a name; {@code directory} set means an empty directory ({@code AT_REMOVEDIR}). */
    public static void unlink(OwnedFd parent, String name, boolean directory) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            int result = (int) UNLINKAT.invokeExact(
                    state, parent.fd(), CStrings.allocate(arena, name), directory ? linux_h.AT_REMOVEDIR() : 0);
            Downcall.check(result, state, "unlinkat", name);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /** fchownat(2) with AT_EMPTY_PATH: change the owner of what {@code file} refers to. */
    public static void chown(OwnedFd file, int uid, int gid) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            int result = (int) FCHOWNAT.invokeExact(
                    state, file.fd(), CStrings.allocate(arena, ""), uid, gid, linux_h.AT_EMPTY_PATH());
            Downcall.check(result, state, "fchownat", file + " to " + uid + ":" + gid);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /**
     * chmod(2) of what {@code file} refers to, through its /proc/thread-self/fd link: fchmod(2)
     * refuses an {@code O_PATH} descriptor, and following the magic link reaches exactly the
     * file the descriptor holds.
     */
    public static void chmod(OwnedFd file, int mode) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            String path = "/proc/thread-self/fd/" + file.fd();
            Downcall.check((int) CHMOD.invokeExact(state, CStrings.allocate(arena, path), mode), state, "chmod", path);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /**
     * The device number mknod(2) takes, from major and minor: glibc's makedev(3) is a macro and
     * an inline function, so jextract cannot offer it. The layout is the kernel's new_encode_dev.
     */
    public static long deviceNumber(long major, long minor) {
        return ((major & 0xfffff000L) << 32)
                | ((major & 0xfffL) << 8)
                | ((minor & 0xffffff00L) << 12)
                | (minor & 0xffL);
    }
}
