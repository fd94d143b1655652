package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import dev.canal.bindings.linux.open_how;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Creating, linking and removing names in a directory held open as a descriptor: the calls an
 * archive unpacker needs to build a tree without ever resolving a path from the host's root.
 * Each takes a directory descriptor and a single name in it, so no symlink on the way can lead
 * elsewhere (see {@link PathAt} for resolving the directory itself).
 */
public final class DirectoryEntries {

    private static final MethodHandle LINKAT = Downcall.capturingErrno(linux_h.linkat$address(), linux_h.linkat$descriptor());
    private static final MethodHandle UNLINKAT = Downcall.capturingErrno(linux_h.unlinkat$address(), linux_h.unlinkat$descriptor());

    private DirectoryEntries() {}

    /**
     * openat2(2) with a creation {@code mode}: like {@link PathAt#openat2} but for
     * {@code O_CREAT}, whose permission bits travel in {@code open_how.mode} (the kernel refuses
     * a mode without O_CREAT or O_TMPFILE).
     */
    public static OwnedFd create(OwnedFd directory, String name, long flags, int mode, long resolve) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment how = arena.allocate(open_how.layout());
            open_how.flags(how, flags | linux_h.O_CREAT() | linux_h.O_CLOEXEC());
            open_how.mode(how, mode);
            open_how.resolve(how, resolve);
            long fd = Syscall.call("openat2", name, linux_h.SYS_openat2(), directory.fd(),
                    CStrings.allocate(arena, name).address(), how.address(), how.byteSize());
            return OwnedFd.adopt((int) fd);
        }
    }

    /**
     * linkat(2) without {@code AT_SYMLINK_FOLLOW}: a new name {@code toName} in {@code toDirectory}
     * for the very file {@code fromName} in {@code fromDirectory} is (a symlink itself, if it is one).
     */
    public static void link(OwnedFd fromDirectory, String fromName, OwnedFd toDirectory, String toName) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            int result = (int) LINKAT.invokeExact(state, fromDirectory.fd(), CStrings.allocate(arena, fromName),
                    toDirectory.fd(), CStrings.allocate(arena, toName), 0);
            Downcall.check(result, state, "linkat", toName + " => " + fromName);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /** unlinkat(2): removes a name; {@code directory} set means an empty directory ({@code AT_REMOVEDIR}). */
    public static void unlink(OwnedFd parent, String name, boolean directory) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            int result = (int) UNLINKAT.invokeExact(state, parent.fd(), CStrings.allocate(arena, name), directory ? linux_h.AT_REMOVEDIR() : 0);
            Downcall.check(result, state, "unlinkat", name);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }
}
