package dev.canal.runtime.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The bundle the mutation tests create their variants from, with traps for paths that leave the
 * rootfs: a directory {@code outside} next to the bundle, and symlinks in the rootfs that lead
 * there (absolute, relative, from a subdirectory), plus a symlink loop and a dangling one. A path
 * from a config that is resolved inside the rootfs, as it must be, never reaches {@code outside};
 * one that follows a symlink out of it creates something there, which {@link #strays} reports.
 *
 * <pre>
 * WORK/outside/                  the trap, empty
 * WORK/bundle/config.json        the variant
 * WORK/bundle/rootfs/            busybox, with escape-abs -> WORK/outside, escape-rel -> ../../outside,
 *                                etc/escape-up -> ../../../outside, loop -> loop, dangling -> /nonexistent...
 * WORK/bundle/binds/             the sources of the seeds' bind mounts: hosts, hostname, resolv.conf, ...
 * </pre>
 */
public final class MutationBundle {

    /** The seeds' bind mounts, by the last part of their destination; /dev/shm is podman's, a directory. */
    static final List<String> BIND_FILES = List.of("hosts", "hostname", "resolv.conf", ".containerenv");

    static final String BIND_DIRECTORY = "shm";

    private static final Set<String> BUNDLE_ENTRIES = Set.of("config.json", "rootfs", "binds");

    private final Path work;

    private MutationBundle(Path work) {
        this.work = work;
    }

    /** Builds the bundle and its traps in {@code work}. */
    public static MutationBundle create(Path work) throws IOException, InterruptedException {
        var bundle = new MutationBundle(work);
        Files.createDirectories(bundle.outside());
        bundle.buildRootfs();
        Path binds = Files.createDirectories(bundle.directory().resolve("binds"));
        for (String file : BIND_FILES) {
            Files.writeString(binds.resolve(file), "# " + file + "\n");
        }
        Files.createDirectories(binds.resolve(BIND_DIRECTORY));
        return bundle;
    }

    private void buildRootfs() throws IOException, InterruptedException {
        Path rootfs = BusyboxRootfs.create(rootfs());
        Files.createSymbolicLink(rootfs.resolve("escape-abs"), outside());
        Files.createSymbolicLink(rootfs.resolve("escape-rel"), Path.of("../../outside"));
        Files.createSymbolicLink(rootfs.resolve("etc/escape-up"), Path.of("../../../outside"));
        Files.createSymbolicLink(rootfs.resolve("loop"), Path.of("loop"));
        Files.createSymbolicLink(rootfs.resolve("dangling"), Path.of("/nonexistent-canal-target"));
    }

    /** The bundle directory, where config.json goes. */
    public Path directory() {
        return work.resolve("bundle");
    }

    public Path rootfs() {
        return directory().resolve("rootfs");
    }

    /** The trap: nothing a container does may create anything here. */
    public Path outside() {
        return work.resolve("outside");
    }

    /** Paths for values: through each symlink, and out of the rootfs with "..". */
    public List<String> paths() {
        return List.of(
                "/escape-abs",
                "/escape-abs/x",
                "/escape-rel/x",
                "/etc/escape-up/x",
                "/escape-rel/../escape-abs/y",
                "/loop/x",
                "/dangling",
                "/dangling/x",
                "../outside/x",
                "/../outside/x",
                "/tmp/../../outside/x",
                outside().toString(),
                outside() + "/x",
                "binds/hosts",
                "rootfs",
                "rootfs/bin/sh");
    }

    /** What is in the trap or the bundle that should not be: empty when nothing got out. */
    public Set<String> strays() {
        var found = new TreeSet<String>();
        try {
            if (!Files.isDirectory(outside())) {
                found.add(outside() + " itself, removed");
                Files.createDirectories(outside());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> inside = Files.list(outside());
                Stream<Path> bundle = Files.list(directory())) {
            inside.forEach(path -> found.add(path.toString()));
            bundle.filter(path -> !BUNDLE_ENTRIES.contains(path.getFileName().toString()))
                    .forEach(path -> found.add(path.toString()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return found;
    }

    /**
     * Whether the rootfs still has what a container of the seeds needs (/bin/busybox, true, sh):
     * a config may legitimately create directories and nodes inside it, or mount over them.
     */
    public boolean rootfsIntact() {
        Path bin = rootfs().resolve("bin");
        return Files.isRegularFile(bin.resolve("busybox"), LinkOption.NOFOLLOW_LINKS)
                && Files.isSymbolicLink(bin.resolve("true"))
                && Files.isSymbolicLink(bin.resolve("sh"));
    }

    /** Builds the rootfs again, after a variant changed what {@link #rootfsIntact} checks. */
    public void rebuildRootfs() throws IOException, InterruptedException {
        try (Stream<Path> walk = Files.walk(rootfs())) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
        buildRootfs();
    }
}
