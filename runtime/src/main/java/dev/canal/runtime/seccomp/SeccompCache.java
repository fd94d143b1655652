package dev.canal.runtime.seccomp;

import dev.canal.runtime.oci.Seccomp;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Compiled filters kept between processes, as crun keeps them (src/libcrun/seccomp.c: {@code
 * .cache/seccomp} under its state root, a file per BLAKE3 checksum of the section, crun's and
 * libseccomp's versions and the kernel's uname, since libseccomp's output may depend on the
 * kernel; Canal's compiler reads nothing of the running kernel, so its key needs only the build).
 * A hit takes about 13 to 25 ms off a new JVM's {@code create} on podman's and docker's configs
 * (docs/start-time.md step 13).
 *
 * <p>An entry is named by a 64-bit FNV-1a hash of the compiler's identity and the section's
 * canonical text, and holds both ({@link CachedFilter}), compared on every hit: a collision,
 * another build's entry or a damaged file is a miss, compiled again and written over. Entries
 * live in {@code <state root>/@cache/seccomp} ({@code @} is in no container id, so no container
 * can be named so), both directories root's and 0700, and are written whole by rename(2). One is
 * read only if the directory is still root's and open to no one else and the entry is a regular
 * file (not a link: lstat, and the open takes O_NOFOLLOW) owned by root that no one else may
 * write: a filter is what stands between a container and the kernel, so an entry anyone else
 * could have written is never taken. Anything wrong with the directory means no cache at all,
 * never a failed create.
 */
public final class SeccompCache {

    /**
     * The most entries kept; past it the oldest written go. crun bounds its directory by the
     * directory inode's size and evicts the least recently read.
     */
    static final int MAX_ENTRIES = 64;

    /** Larger than any entry: docker's and podman's profiles take about 20 KB, 4096 instructions about 100 KB more. */
    private static final long MAX_ENTRY_BYTES = 4 << 20;

    private static final int S_IFMT = 0170000;
    private static final int S_IFREG = 0100000;
    private static final int S_IFDIR = 0040000;
    private static final int GROUP_OR_OTHERS_WRITE = 0022;
    private static final int GROUP_OR_OTHERS_ANY = 0077;

    /**
     * The one entry of a state root that outlives its containers, as crun's {@code .cache} does:
     * what checks that nothing is left of a container looks past it.
     */
    public static final String STATE_ROOT_ENTRY = "@cache";

    private final Path stateRoot;
    private final Path directory;
    /**
     * The build's identity, asked for only when a config has a filter (most of runc's have none,
     * and a create should not read the jar's attributes for nothing); empty when the build cannot
     * be told apart from another: then nothing is cached.
     */
    private final Supplier<Optional<String>> build;

    private SeccompCache(Path stateRoot, Supplier<Optional<String>> build) {
        this.stateRoot = stateRoot;
        this.directory = stateRoot.resolve(STATE_ROOT_ENTRY).resolve("seccomp");
        this.build = build;
    }

    /** The cache under {@code stateRoot} for the filters of the build named {@code identity} (tests). */
    SeccompCache(Path stateRoot, String identity) {
        this(stateRoot, () -> Optional.of(identity));
    }

    /** The cache under the runtime's state root, for the filters this build compiles. */
    public static SeccompCache under(Path stateRoot) {
        return new SeccompCache(stateRoot, CompilerIdentity::of);
    }

    /**
     * The filter for {@code spec}: the cached one if a trusted entry matches, otherwise compiled
     * by {@link SeccompCompiler} and kept.
     *
     * @throws InvalidSeccompException as {@link SeccompCompiler#compile}
     */
    public SeccompProgram program(Seccomp spec) {
        Optional<String> identity = build.get();
        if (identity.isEmpty()) {
            return SeccompCompiler.compile(spec);
        }
        String section = CanonicalSeccomp.of(spec);
        Path entry = directory.resolve(name(identity.get(), section));
        Optional<SeccompProgram> cached = trustedDirectory() ? read(entry, identity.get(), section) : Optional.empty();
        if (cached.isPresent()) {
            return cached.get();
        }
        SeccompProgram program = SeccompCompiler.compile(spec);
        store(entry, identity.get(), section, program);
        return program;
    }

    Path directory() {
        return directory;
    }

    private static String name(String identity, String section) {
        long hash = 0xcbf29ce484222325L;
        for (String part : new String[] {identity, "\n", section}) {
            for (int i = 0; i < part.length(); i++) {
                hash = (hash ^ part.charAt(i)) * 0x100000001b3L;
            }
        }
        return String.format("%016x", hash);
    }

    private Optional<SeccompProgram> read(Path entry, String identity, String section) {
        try {
            Map<String, Object> stat = Files.readAttributes(entry, "unix:mode,uid,size", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) stat.get("mode");
            if ((mode & S_IFMT) != S_IFREG
                    || (Integer) stat.get("uid") != 0
                    || (mode & GROUP_OR_OTHERS_WRITE) != 0
                    || (Long) stat.get("size") > MAX_ENTRY_BYTES) {
                return Optional.empty();
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(entry, LinkOption.NOFOLLOW_LINKS)) {
                bytes = in.readNBytes((int) MAX_ENTRY_BYTES);
            }
            return CachedFilter.read(new String(bytes, StandardCharsets.UTF_8), identity, section);
        } catch (IOException e) {
            // Missing (the usual miss), or replaced by a link since the lstat (ELOOP).
            return Optional.empty();
        }
    }

    /** Whether both directories exist and are root's alone, made here if the state root exists. */
    private boolean trustedDirectory() {
        if (!Files.isDirectory(stateRoot, LinkOption.NOFOLLOW_LINKS)) {
            // No state root yet: nothing is made before a create has checked everything else.
            return false;
        }
        return ownerOnlyDirectory(directory.getParent()) && ownerOnlyDirectory(directory);
    }

    private static boolean ownerOnlyDirectory(Path path) {
        try {
            Files.createDirectory(
                    path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (FileAlreadyExistsException e) {
            // Checked below like a new one.
        } catch (IOException e) {
            return false;
        }
        try {
            Map<String, Object> stat = Files.readAttributes(path, "unix:mode,uid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) stat.get("mode");
            return (mode & S_IFMT) == S_IFDIR && (Integer) stat.get("uid") == 0 && (mode & GROUP_OR_OTHERS_ANY) == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** Written beside the entry and renamed over it, so a reader sees the old file or the new one. */
    private void store(Path entry, String identity, String section, SeccompProgram program) {
        if (!trustedDirectory()) {
            return;
        }
        // Unique to this thread of this process now: canald creates containers on several threads.
        Path temporary = directory.resolve(entry.getFileName() + ".tmp."
                + ProcessHandle.current().pid() + "." + Thread.currentThread().threadId() + "." + System.nanoTime());
        try {
            evictOldest();
            // O_EXCL: never through a link, never another writer's file.
            Files.createFile(
                    temporary, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            return;
        }
        try {
            Files.writeString(
                    temporary,
                    CachedFilter.write(identity, section, program),
                    StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    LinkOption.NOFOLLOW_LINKS);
            Files.move(temporary, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temporary);
            } catch (IOException ignored) {
                // The cache is only a shortcut; a leftover temporary is removed by the next eviction.
            }
        }
    }

    /** Room for one more entry: the ones written longest ago removed until fewer than the bound stay. */
    private void evictOldest() throws IOException {
        record Entry(Path path, FileTime written) {}
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(directory)) {
            for (Path path : listing) {
                entries.add(new Entry(path, Files.getLastModifiedTime(path, LinkOption.NOFOLLOW_LINKS)));
            }
        }
        if (entries.size() < MAX_ENTRIES) {
            return;
        }
        entries.sort(Comparator.comparing(Entry::written));
        for (Entry old : entries.subList(0, entries.size() - MAX_ENTRIES + 1)) {
            Files.deleteIfExists(old.path());
        }
    }
}
