package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import dev.canal.bindings.linux.timespec;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Owner, permission bits and timestamps of a name in a directory held open, never following a
 * symlink that name is: what an archive says about each entry, applied to exactly that entry.
 */
public final class FileMetadata {

    private static final MethodHandle FCHOWNAT = Downcall.capturingErrno(
            "fchownat",
            FunctionDescriptor.of(
                    linux_h.C_INT, linux_h.C_INT, linux_h.C_POINTER, linux_h.C_INT, linux_h.C_INT, linux_h.C_INT));
    private static final MethodHandle FCHMODAT = Downcall.capturingErrno(
            "fchmodat",
            FunctionDescriptor.of(linux_h.C_INT, linux_h.C_INT, linux_h.C_POINTER, linux_h.C_INT, linux_h.C_INT));
    private static final MethodHandle UTIMENSAT = Downcall.capturingErrno(
            "utimensat",
            FunctionDescriptor.of(linux_h.C_INT, linux_h.C_INT, linux_h.C_POINTER, linux_h.C_POINTER, linux_h.C_INT));

    private FileMetadata() {}

    /** fchownat(2) with {@code AT_SYMLINK_NOFOLLOW}: a symlink's own owner changes, not its target's. */
    public static void chown(OwnedFd directory, String name, int uid, int gid) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            int result = (int) FCHOWNAT.invokeExact(
                    state, directory.fd(), CStrings.allocate(arena, name), uid, gid, linux_h.AT_SYMLINK_NOFOLLOW());
            Downcall.check(result, state, "fchownat", name + " to " + uid + ":" + gid);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /**
     * fchmodat(2). Linux has no mode for a symlink, so call this only for other kinds of files;
     * after {@link #chown}, which clears the set-user-ID and set-group-ID bits.
     */
    public static void chmod(OwnedFd directory, String name, int mode) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment state = Downcall.newCallState(arena);
            Downcall.check(
                    (int) FCHMODAT.invokeExact(state, directory.fd(), CStrings.allocate(arena, name), mode, 0),
                    state,
                    "fchmodat",
                    name);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }

    /**
     * utimensat(2) with {@code AT_SYMLINK_NOFOLLOW}: access and modification time, each in
     * seconds and nanoseconds since the epoch.
     */
    public static void setTimes(
            OwnedFd directory,
            String name,
            long accessSeconds,
            long accessNanos,
            long modifySeconds,
            long modifyNanos) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment times = arena.allocate(timespec.layout(), 2);
            MemorySegment access = timespec.asSlice(times, 0);
            timespec.tv_sec(access, accessSeconds);
            timespec.tv_nsec(access, accessNanos);
            MemorySegment modify = timespec.asSlice(times, 1);
            timespec.tv_sec(modify, modifySeconds);
            timespec.tv_nsec(modify, modifyNanos);
            MemorySegment state = Downcall.newCallState(arena);
            int result = (int) UTIMENSAT.invokeExact(
                    state, directory.fd(), CStrings.allocate(arena, name), times, linux_h.AT_SYMLINK_NOFOLLOW());
            Downcall.check(result, state, "utimensat", name);
        } catch (Throwable t) {
            throw Downcall.unchecked(t);
        }
    }
}
