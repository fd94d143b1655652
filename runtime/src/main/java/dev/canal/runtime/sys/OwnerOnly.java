package dev.canal.runtime.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Directories and files only their owner (root) may read: container state and the stores that
 * hold containers' configs, whose environments carry secrets ({@code DB_PASSWORD=...}). runc
 * keeps its state root 0700 and {@code state.json} 0600; Docker its containers' configs 0600.
 */
public final class OwnerOnly {

    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    private static final FileAttribute<Set<PosixFilePermission>> DIRECTORY_MODE =
            PosixFilePermissions.asFileAttribute(DIRECTORY);
    private static final FileAttribute<Set<PosixFilePermission>> FILE_MODE =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    /** The sticky bit (inode(7) S_ISVTX): set on directories all users share, such as /tmp. */
    private static final int STICKY = 01000;

    private static final int GROUP_AND_OTHERS = 077;

    private OwnerOnly() {}

    /**
     * Creates {@code directory} with mode 0700 (missing parents with the usual modes), or makes
     * an existing one 0700: a store or state root an older Canal made 0755 is closed when next
     * opened, as Docker sets its data root's mode at every start. A shared directory (sticky,
     * like /tmp) is refused rather than closed to every other user.
     */
    public static Path directory(Path directory) {
        Path absolute = directory.toAbsolutePath();
        try {
            Files.createDirectories(absolute.getParent());
            Files.createDirectory(absolute, DIRECTORY_MODE);
        } catch (FileAlreadyExistsException exists) {
            tighten(absolute);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory + ": " + e.getMessage(), e);
        }
        return directory;
    }

    private static void tighten(Path directory) {
        try {
            if (!Files.isDirectory(directory)) {
                throw new IllegalArgumentException(directory + " is not a directory");
            }
            int mode = (int) Files.getAttribute(directory, "unix:mode");
            if ((mode & GROUP_AND_OTHERS) == 0) {
                return;
            }
            if ((mode & STICKY) != 0) {
                throw new IllegalArgumentException(directory
                        + " is a directory all users share (sticky, like /tmp); give Canal a directory of its own");
            }
            Files.setPosixFilePermissions(directory, DIRECTORY);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + directory + " owner-only: " + e.getMessage(), e);
        }
    }

    /**
     * Replaces {@code file} with {@code content} atomically: written to {@code <file>.tmp}
     * beside it, created 0600 (open(2) O_CREAT|O_EXCL with that mode, after removing a leftover
     * that could have another mode), then renamed over it with rename(2), so a reader sees the
     * old or the new content whole, and nobody but the owner sees either. Callers hold whatever
     * lock keeps two writers of one file apart.
     */
    public static void write(Path file, byte[] content) {
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.deleteIfExists(temporary);
            try (var channel = Files.newByteChannel(
                    temporary, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), FILE_MODE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(temporary);
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path temporary) {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException alreadyFailing) {
            // The write failed already; that error is the one to report.
        }
    }
}
