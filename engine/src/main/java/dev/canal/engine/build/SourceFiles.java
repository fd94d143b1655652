package dev.canal.engine.build;

import dev.canal.images.Digest;
import dev.canal.runtime.rootfs.RootDirectory;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.SyscallException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * The files a COPY or ADD names in its source tree: the build context, or with
 * {@code --from} another stage's or image's root filesystem. Every name is resolved inside the
 * tree (openat2(2) {@code RESOLVE_IN_ROOT} through {@link RootDirectory}), so neither a
 * {@code ../} nor a symlink in the context reaches a file outside it; below a named directory,
 * symlinks are copied as links, never followed. Wildcards ({@code *}, {@code ?}, {@code [a-z]},
 * within one path component, as Go's filepath.Match) are matched against every path of the
 * tree. Files the {@code .dockerignore} excludes are not there.
 */
final class SourceFiles implements AutoCloseable {

    /**
     * One file to copy.
     *
     * @param file the file, through the tree's descriptor ({@code /proc/self/fd/N/...})
     * @param name where it goes, relative to the destination directory
     * @param top  the source itself, whose path is the descriptor's /proc link: read through it
     */
    record Item(Path file, String name, boolean top) {

        /** How to look at the file: a named source through its link, what is below it as it is. */
        LinkOption[] linkOptions() {
            return top ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        }
    }

    private final RootDirectory root;
    private final Predicate<String> excluded;

    private SourceFiles(RootDirectory root, Predicate<String> excluded) {
        this.root = root;
        this.excluded = excluded;
    }

    /** The tree at {@code directory}; {@code excluded} says which of its relative paths are left out. */
    static SourceFiles open(Path directory, Predicate<String> excluded) {
        return new SourceFiles(RootDirectory.open(directory.toString()), excluded);
    }

    /** What {@code pattern} names: the paths relative to the tree, sorted; none for a wildcard that matches nothing. */
    List<String> match(String pattern) {
        String relative = clean(pattern);
        if (!hasWildcard(relative)) {
            if (excluded.test(relative) || !root.exists("/" + relative)) {
                throw new IllegalArgumentException(
                        "file not found in build context or excluded by .dockerignore: " + pattern);
            }
            return List.of(relative);
        }
        PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + relative);
        try (OwnedFd top = root.resolve("/");
                Stream<Path> walk =
                        Files.walk(Path.of(RootDirectory.procPath(top)).resolve("."))) {
            Path base = Path.of(RootDirectory.procPath(top)).resolve(".");
            return walk.map(path -> base.relativize(path).toString())
                    .filter(path -> !path.isEmpty() && !excluded.test(path))
                    .filter(path -> matcher.matches(Path.of(path)))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the build context: " + e.getMessage(), e);
        }
    }

    /**
     * Runs {@code action} on the items of source {@code relative}: a directory's contents, named
     * relative to it (docker copies what is in a directory, not the directory), or the file
     * itself, named {@code fileName}.
     */
    void items(String relative, String fileName, ItemAction action) throws IOException {
        try (OwnedFd source = root.resolve("/" + relative)) {
            Path resolved = Path.of(RootDirectory.procPath(source));
            if (!Files.isDirectory(resolved)) {
                action.accept(new Item(resolved, fileName, true));
                return;
            }
            Path base = resolved.resolve(".");
            List<Path> members;
            try (Stream<Path> walk = Files.walk(base)) {
                members = walk.sorted().toList();
            }
            for (Path member : members) {
                String below = base.relativize(member).toString();
                String inTree = relative.isEmpty() ? below : relative + "/" + below;
                if (!below.isEmpty() && !excluded.test(inTree)) {
                    action.accept(new Item(member, below, false));
                }
            }
        } catch (SyscallException e) {
            throw new IllegalArgumentException("cannot open " + relative + " in the build context: " + e.getMessage());
        }
    }

    /** Whether source {@code relative} is a directory (a symlink to one inside the tree is). */
    boolean isDirectory(String relative) {
        return root.isDirectory("/" + relative);
    }

    /** The content of source {@code relative} when it is a regular file, else null. */
    InputStream read(String relative) throws IOException {
        try (OwnedFd source = root.resolve("/" + relative)) {
            Path resolved = Path.of(RootDirectory.procPath(source));
            return Files.isRegularFile(resolved) ? Files.newInputStream(resolved) : null;
        }
    }

    /** What happens to each item; may read it. */
    @FunctionalInterface
    interface ItemAction {
        void accept(Item item) throws IOException;
    }

    /**
     * The checksum of items for the build cache: each one's name, type, mode and content (a
     * symlink's target), so a changed byte, mode or name is a different step.
     */
    static final class Checksum implements ItemAction {
        private final MessageDigest hash = Digest.newHash(Digest.SHA256);

        @Override
        public void accept(Item item) throws IOException {
            Path file = item.file();
            int mode = (Integer) Files.getAttribute(file, "unix:mode", item.linkOptions());
            update(item.name() + "\0" + Integer.toOctalString(mode) + "\0");
            if (!item.top() && Files.isSymbolicLink(file)) {
                update(Files.readSymbolicLink(file).toString());
            } else if (Files.isRegularFile(file, item.linkOptions())) {
                try (InputStream content = new DigestInputStream(Files.newInputStream(file), hash)) {
                    content.transferTo(OutputStream.nullOutputStream());
                }
            }
            update("\0");
        }

        private void update(String text) {
            hash.update(text.getBytes(StandardCharsets.UTF_8));
        }

        Digest digest() {
            return Digest.fromHash(Digest.SHA256, hash.digest());
        }
    }

    /** A source as a path relative to the tree's top: {@code ./a}, {@code /a} and {@code a/} are {@code a}. */
    static String clean(String source) {
        String cleaned = Path.of("/" + source).normalize().toString().substring(1);
        return cleaned.equals(".") ? "" : cleaned;
    }

    static boolean hasWildcard(String pattern) {
        return pattern.chars().anyMatch(c -> c == '*' || c == '?' || c == '[');
    }

    @Override
    public void close() {
        root.close();
    }
}
