package dev.canal.benchmarks;

import dev.canal.images.rootfs.OverlayMount;
import dev.canal.runtime.sys.Mounts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Mounting and unmounting a container's root filesystem: an overlay of {@code layers}
 * generated lower directories (topmost first, a few files each) with an empty upper and work
 * directory, through {@link OverlayMount} as {@code ContainerLayers} does (fsopen(2), one
 * {@code lowerdir+} fsconfig(2) per layer, fsmount(2), move_mount(2)), then umount2(2). The
 * baseline in the same run is mount(2) and umount2(2) of an empty tmpfs: the least a mount
 * can cost on this kernel. The layers, upper and work directories are on a tmpfs
 * ({@code backing=TMPFS}) or on the temporary directory's disk filesystem ({@code DISK}),
 * where unmounting the overlay waits for the upper filesystem to be synced (overlayfs's
 * sync_fs), which costs milliseconds whatever the number of layers.
 *
 * <p>Everything is mounted in a private mount namespace of the benchmark's thread
 * ({@link PrivateMountNamespace}): nothing reaches the host. Run as root:
 * {@code java -jar benchmarks/target/benchmarks.jar OverlayMount}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class OverlayMountBenchmark {

    private static final int FILES_PER_LAYER = 8;

    @Param({"1", "5", "20", "100"})
    public int layers;

    /** TMPFS: overlayfs's own cost. DISK: also the sync of the upper filesystem that unmounting an overlay makes. */
    @Param({"TMPFS", "DISK"})
    public Backing backing;

    private WorkDirectory work;
    private List<String> lowerShortNames;
    private Path upper;
    private Path overlayWork;
    private Path merged;
    private Path tmpfs;

    /**
     * {@code l/0} to {@code l/N-1} under the work directory, each with a directory of small
     * files, listed topmost first like an image's layers in reverse.
     */
    @Setup(Level.Trial)
    public void layers() throws IOException {
        PrivateMountNamespace.enter();
        work = new WorkDirectory("canal-overlay-bench", backing);
        lowerShortNames = new ArrayList<>();
        for (int layer = layers - 1; layer >= 0; layer--) {
            Path etc = Files.createDirectories(work.resolve("l/" + layer + "/etc"));
            for (int file = 0; file < FILES_PER_LAYER; file++) {
                Files.writeString(etc.resolve("layer" + layer + "-file" + file), "written by layer " + layer + "\n");
            }
            lowerShortNames.add("l/" + layer);
        }
        upper = Files.createDirectory(work.resolve("upper"));
        overlayWork = Files.createDirectory(work.resolve("work"));
        merged = Files.createDirectory(work.resolve("merged"));
        tmpfs = Files.createDirectory(work.resolve("tmpfs"));
    }

    @Benchmark
    public void overlayMountUnmount() {
        PrivateMountNamespace.enter();
        OverlayMount.mount(
                OverlayMount.Method.LOWERDIR_APPEND,
                work.path(),
                lowerShortNames,
                upper,
                OverlayMount.Upper.KEPT,
                overlayWork,
                merged);
        Mounts.unmount(merged.toString(), 0);
    }

    @Benchmark
    public void tmpfsMountUnmountBaseline() {
        PrivateMountNamespace.enter();
        Mounts.mount("tmpfs", tmpfs.toString(), "tmpfs", 0, "size=1m");
        Mounts.unmount(tmpfs.toString(), 0);
    }

    @TearDown(Level.Trial)
    public void removeWork() {
        work.close();
    }
}
