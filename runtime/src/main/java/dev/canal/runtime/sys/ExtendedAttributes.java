package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Extended attributes, xattr(7): name/value pairs beside a file's data. Images carry them in
 * PAX headers ({@code security.capability} for file capabilities), and overlayfs keeps its own
 * state in the {@code trusted.overlay.*} namespace, e.g. {@code trusted.overlay.opaque=y} on a
 * directory that hides what lower layers have at the same path.
 *
 * <p>The {@code l} variants act on a symlink itself, never on what it points to. A name in a
 * directory held open is reached through that descriptor's {@code /proc/self/fd} link, which
 * is the directory itself, so no path from the host's root is resolved.
 */
public final class ExtendedAttributes {

    /** Large enough for any value: the VFS limit, XATTR_SIZE_MAX in linux/limits.h, is 65536. */
    private static final int MAX_VALUE = 65536;

    private ExtendedAttributes() {}

    /** lsetxattr(2) on {@code name} in {@code directory}; an empty name means the directory itself. */
    public static void set(OwnedFd directory, String name, String attribute, byte[] value) {
        set(pathOf(directory, name), attribute, value);
    }

    /** lsetxattr(2) on {@code path}, not following a final symlink. */
    public static void set(String path, String attribute, byte[] value) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocateFrom(ValueLayout.JAVA_BYTE, value);
            Syscall.call(
                    "lsetxattr",
                    path + ", " + attribute,
                    SyscallNumbers.LSETXATTR,
                    CStrings.allocate(arena, path).address(),
                    CStrings.allocate(arena, attribute).address(),
                    bytes.address(),
                    value.length,
                    0);
        }
    }

    /** lgetxattr(2): the value, or null when {@code path} has no such attribute (ENODATA). */
    public static byte[] get(String path, String attribute) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(MAX_VALUE);
            long size = Syscall.attempt(
                    SyscallNumbers.LGETXATTR,
                    CStrings.allocate(arena, path).address(),
                    CStrings.allocate(arena, attribute).address(),
                    buffer.address(),
                    MAX_VALUE);
            if (size == -linux_h.ENODATA()) {
                return null;
            }
            Syscall.checked(size, "lgetxattr", path + ", " + attribute);
            return buffer.asSlice(0, size).toArray(ValueLayout.JAVA_BYTE);
        }
    }

    private static String pathOf(OwnedFd directory, String name) {
        // "/." and not the bare link for the directory itself: lsetxattr would act on the magic link.
        return "/proc/self/fd/" + directory.fd() + "/" + (name.isEmpty() ? "." : name);
    }
}
