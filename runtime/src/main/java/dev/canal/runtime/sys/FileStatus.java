package dev.canal.runtime.sys;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * What fstat(2) says about a file held open: its type and, for a device node, the device it
 * stands for. Asked of the descriptor, never of a path, so the answer is about the very file
 * that will be used, whatever is renamed or swapped meanwhile.
 *
 * @param mode   {@code st_mode}: the type bits ({@code S_IFMT}) and the permission bits
 * @param device {@code st_rdev}: for a character or block node, its device number
 */
public record FileStatus(int mode, long device) {

    // struct stat's size and the offsets of st_mode and st_rdev on x86-64, written out (checked
    // against jextract's by WrittenOutLayoutsTest): jextract's struct class makes a VarHandle for
    // its reserved array when initialised, method handle classes spun at run time in every JVM
    // (docs/start-time.md).
    static final long STAT_SIZE = 144;
    static final long ST_MODE_OFFSET = 24;
    static final long ST_RDEV_OFFSET = 40;

    /** fstat(2); an {@code O_PATH} descriptor will do (Linux 3.6), so a symlink can be asked about itself. */
    public static FileStatus of(OwnedFd file) {
        try (var arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(STAT_SIZE, Long.BYTES);
            // The kernel's struct stat for fstat(2) is glibc's on x86-64 and arm64.
            Syscall.call("fstat", file.toString(), SyscallNumbers.FSTAT, file.fd(), buffer.address());
            return new FileStatus(
                    buffer.get(ValueLayout.JAVA_INT, ST_MODE_OFFSET),
                    buffer.get(ValueLayout.JAVA_LONG, ST_RDEV_OFFSET));
        }
    }

    public boolean isDirectory() {
        return type() == linux_h.S_IFDIR();
    }

    public boolean isCharacterDevice() {
        return type() == linux_h.S_IFCHR();
    }

    public boolean isBlockDevice() {
        return type() == linux_h.S_IFBLK();
    }

    /** glibc's major(3), a macro jextract cannot offer: the kernel's new_encode_dev layout read back. */
    public long major() {
        return ((device >>> 8) & 0xfffL) | ((device >>> 32) & ~0xfffL);
    }

    /** glibc's minor(3). */
    public long minor() {
        return (device & 0xffL) | ((device >>> 12) & 0xffffff00L);
    }

    /** The kind of file in words, as stat(1)'s %F says it, for error messages. */
    public String typeName() {
        int type = type();
        if (type == linux_h.S_IFDIR()) {
            return "directory";
        } else if (type == linux_h.S_IFLNK()) {
            return "symbolic link";
        } else if (type == linux_h.S_IFREG()) {
            return "regular file";
        } else if (type == linux_h.S_IFCHR()) {
            return "character special file " + major() + ":" + minor();
        } else if (type == linux_h.S_IFBLK()) {
            return "block special file " + major() + ":" + minor();
        } else if (type == linux_h.S_IFIFO()) {
            return "fifo";
        }
        return "socket";
    }

    private int type() {
        return mode & linux_h.S_IFMT();
    }
}
