package dev.canal.benchmarks;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Mounts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * A benchmark's scratch directory under the system's temporary directory, with a random name,
 * deleted with everything in it when the trial ends. With {@link Backing#TMPFS} a tmpfs is
 * mounted on it in the calling thread's {@link PrivateMountNamespace}, so what is written there
 * costs memory only and never waits for a disk; that thread must also close it.
 */
final class WorkDirectory implements AutoCloseable {

    private final Path path;
    private final Backing backing;

    WorkDirectory(String prefix) {
        this(prefix, Backing.DISK);
    }

    WorkDirectory(String prefix, Backing backing) {
        this.backing = backing;
        try {
            path = Files.createTempDirectory(prefix);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (backing == Backing.TMPFS) {
            PrivateMountNamespace.enter();
            Mounts.mount("tmpfs", path.toString(), "tmpfs", 0, "mode=0700");
        }
    }

    Path path() {
        return path;
    }

    Path resolve(String name) {
        return path.resolve(name);
    }

    @Override
    public void close() {
        if (backing == Backing.TMPFS) {
            Mounts.unmount(path.toString(), linux_h.MNT_DETACH());
        }
        delete(path);
    }

    /** Deletes {@code tree} depth first; nothing happens if it does not exist. */
    static void delete(Path tree) {
        if (!Files.exists(tree)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(tree)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
