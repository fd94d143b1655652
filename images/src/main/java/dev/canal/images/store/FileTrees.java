package dev.canal.images.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** Removing a whole directory tree: a failed unpack's temporary directory, a deleted layer. */
public final class FileTrees {

    private FileTrees() {}

    /**
     * Deletes {@code tree} and everything in it; nothing happens if it does not exist. Symlinks
     * are removed, never followed, so a layer's {@code etc -> /etc} cannot lead outside.
     */
    public static void delete(Path tree) {
        if (!Files.exists(tree, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try {
            Files.walkFileTree(tree, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException failure) throws IOException {
                    if (failure != null) {
                        throw failure;
                    }
                    Files.delete(directory);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException alreadyGone) {
            // Another process removed it first.
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + tree + ": " + e.getMessage(), e);
        }
    }
}
