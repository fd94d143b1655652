package dev.canal.benchmarks;

import dev.canal.images.Digest;
import dev.canal.images.layer.LayerStore;
import dev.canal.images.store.ContentStore;
import dev.canal.images.testing.TarBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
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
 * Unpacking a generated, uncompressed layer tar (about 20 MiB: {@value #FILES} files from 1 KiB
 * to 1 MiB in {@value #DIRECTORIES} directories, plus a symlink per directory) from the content
 * store into the layer store, as an image pull does: tar parsing, every member created through
 * openat2(2) beneath the layer directory, its metadata set, and the blob and diffID digests
 * (SHA-256, of the same bytes here) checked. The baseline in the same run is the JDK's
 * {@code Files.copy} of the same tar file (copy_file_range(2) inside the kernel): the least
 * that writing these bytes costs. Both write to a tmpfs ({@code backing=TMPFS}) or to the
 * temporary directory's disk filesystem ({@code DISK}).
 *
 * <p>Throughput is in layers per second; multiply by {@link #LAYER_MEBIBYTES} (printed at
 * setup) for MiB/s. Each unpacked layer and each copy is deleted after its invocation, outside
 * the timing. Run as root (the unpacker sets owners):
 * {@code java -jar benchmarks/target/benchmarks.jar LayerUnpack}
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
@State(Scope.Thread)
public class LayerUnpackBenchmark {

    static final int DIRECTORIES = 32;
    static final int FILES = 512;
    /** The generated layer's size in MiB, for converting layers/s to MiB/s. */
    public static final String LAYER_MEBIBYTES = "canal.bench.layerMebibytes";

    /** TMPFS: the unpacker's and the kernel's work. DISK: also the disk filesystem's journal and writeback. */
    @Param({"TMPFS", "DISK"})
    public Backing backing;

    private WorkDirectory work;
    private LayerStore layers;
    private Digest layer;
    private Path blob;
    private Path copy;

    @Setup(Level.Trial)
    public void generateLayer() {
        work = new WorkDirectory("canal-unpack-bench", backing);
        ContentStore store = ContentStore.open(work.resolve("store"));
        byte[] tar = generatedTar();
        layer = store.put(tar);
        blob = store.blob(layer);
        layers = LayerStore.open(store);
        copy = work.resolve("copy.tar");
        System.out.printf("%n%s=%.3f%n", LAYER_MEBIBYTES, tar.length / (1024.0 * 1024.0));
    }

    /** Uncompressed, so the blob digest and the diffID are the same. */
    @Benchmark
    public boolean unpack() {
        return layers.unpack(layer, layer);
    }

    @Benchmark
    public Path plainCopyBaseline() throws IOException {
        return Files.copy(blob, copy);
    }

    @TearDown(Level.Invocation)
    public void deleteUnpacked() throws IOException {
        layers.delete(layer);
        Files.deleteIfExists(copy);
    }

    @TearDown(Level.Trial)
    public void removeWork() {
        work.close();
    }

    /**
     * Sizes spread like a real layer's: most files small, a few large. The content is random
     * (seeded, so every run writes the same layer).
     */
    private static byte[] generatedTar() {
        var random = new SplittableRandom(8);
        var tar = new TarBuilder();
        for (int directory = 0; directory < DIRECTORIES; directory++) {
            tar.directory("usr/share/d" + directory + "/", 0755);
            tar.symlink("usr/share/d" + directory + "/latest", "f0");
        }
        for (int file = 0; file < FILES; file++) {
            int size = switch (random.nextInt(20)) {
                case 0 -> random.nextInt(64 << 10, 1 << 20);
                case 1, 2, 3, 4, 5 -> random.nextInt(8 << 10, 64 << 10);
                default -> random.nextInt(1 << 10, 8 << 10);
            };
            byte[] content = new byte[size];
            random.nextBytes(content);
            tar.file("usr/share/d" + file % DIRECTORIES + "/f" + file, 0644, content);
        }
        return tar.build();
    }
}
