package dev.canal.benchmarks;

import dev.canal.images.Digest;
import dev.canal.images.layer.LayerStore;
import dev.canal.images.store.ContentStore;
import dev.canal.images.testing.TarBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
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
 * Unpacking a generated layer tar (about 20 MiB: {@value #FILES} files from 1 KiB to 1 MiB in
 * {@value #DIRECTORIES} directories, plus a symlink per directory), plain or gzip-compressed,
 * from the content store into the layer store, as an image pull does: decompression, tar
 * parsing, every member created through openat2(2) beneath the layer directory, its metadata
 * set, and the blob and diffID digests (SHA-256) checked. Three baselines in the same run:
 * <ul>
 *   <li>{@code plainCopyBaseline}: the JDK's {@code Files.copy} of the blob (copy_file_range(2)
 *       inside the kernel), the least that writing these bytes costs;
 *   <li>{@code gunzipBaseline}: {@code gzip -dcf BLOB > /dev/null}, the least that decompressing
 *       a gzip layer costs (for a plain layer, gzip copies it through);
 *   <li>{@code tarBaseline}: GNU {@code tar -xf BLOB} (with {@code -z} for gzip) into a
 *       directory, owners, modes and times included, what a C unpacker does.
 * </ul>
 * The two process baselines include starting the process (about a millisecond). Everything is
 * written to a tmpfs ({@code backing=TMPFS}) or to the temporary directory's disk filesystem
 * ({@code DISK}). The file contents are text-like (words from a seeded vocabulary), so gzip
 * shrinks the layer about as much as it does real ones.
 *
 * <p>Throughput is in layers per second; multiply by {@link #LAYER_MEBIBYTES} (printed at
 * setup) for MiB/s of the uncompressed layer. Each unpacked layer and each copy is deleted after
 * its invocation, outside the timing. Run as root (the unpacker sets owners):
 * {@code java -jar benchmarks/target/benchmarks.jar LayerUnpack -p backing=TMPFS}
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
    static final int VOCABULARY = 1024;
    /** The generated layer's size in MiB, for converting layers/s to MiB/s. */
    public static final String LAYER_MEBIBYTES = "canal.bench.layerMebibytes";

    /** TMPFS: the unpacker's and the kernel's work. DISK: also the disk filesystem's journal and writeback. */
    @Param({"TMPFS", "DISK"})
    public Backing backing;

    /** How the blob is stored: a plain tar, or gzip-compressed as registries serve layers. */
    @Param({"NONE", "GZIP"})
    public Compression compression;

    /** The blob's compression. */
    public enum Compression {
        NONE,
        GZIP
    }

    private WorkDirectory work;
    private LayerStore layers;
    private Digest layer;
    private Digest diffId;
    private Path blob;
    private Path copy;
    private Path extracted;

    @Setup(Level.Trial)
    public void generateLayer() {
        work = new WorkDirectory("canal-unpack-bench", backing);
        ContentStore store = ContentStore.open(work.resolve("store"));
        byte[] tar = generatedTar();
        diffId = Digest.of(tar);
        layer = store.put(compression == Compression.GZIP ? gzipped(tar) : tar);
        blob = store.blob(layer);
        layers = LayerStore.open(store);
        copy = work.resolve("copy.tar");
        extracted = work.resolve("extracted");
        System.out.printf("%n%s=%.3f%n", LAYER_MEBIBYTES, tar.length / (1024.0 * 1024.0));
    }

    @Benchmark
    public boolean unpack() {
        return layers.unpack(layer, diffId);
    }

    @Benchmark
    public Path plainCopyBaseline() throws IOException {
        return Files.copy(blob, copy);
    }

    @Benchmark
    public int gunzipBaseline() throws IOException, InterruptedException {
        return run(new ProcessBuilder("gzip", "-dcf", blob.toString()).redirectOutput(Redirect.DISCARD));
    }

    @Benchmark
    public int tarBaseline() throws IOException, InterruptedException {
        Files.createDirectory(extracted);
        String extract = compression == Compression.GZIP ? "-xzf" : "-xf";
        return run(new ProcessBuilder("tar", extract, blob.toString(), "-C", extracted.toString()));
    }

    @TearDown(Level.Invocation)
    public void deleteUnpacked() throws IOException {
        layers.delete(diffId);
        Files.deleteIfExists(copy);
        WorkDirectory.delete(extracted);
    }

    @TearDown(Level.Trial)
    public void removeWork() {
        work.close();
    }

    /** Runs a baseline's process to its end; a failure would make its figure meaningless. */
    private static int run(ProcessBuilder process) throws IOException, InterruptedException {
        int status = process.redirectError(Redirect.INHERIT).start().waitFor();
        if (status != 0) {
            throw new IllegalStateException(process.command() + " exited with status " + status);
        }
        return status;
    }

    private static byte[] gzipped(byte[] tar) {
        var compressed = new ByteArrayOutputStream();
        try (var gzip = new GZIPOutputStream(compressed)) {
            gzip.write(tar);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return compressed.toByteArray();
    }

    /**
     * Sizes spread like a real layer's: most files small, a few large. The content is words of
     * a random vocabulary (seeded, so every run writes the same layer), which gzip compresses
     * to about a third (3.1 times smaller), as it does binaries and text in real layers.
     */
    private static byte[] generatedTar() {
        var random = new SplittableRandom(8);
        var tar = new TarBuilder();
        byte[][] vocabulary = new byte[VOCABULARY][];
        for (int word = 0; word < VOCABULARY; word++) {
            // Lower-case letters and a space or a newline: gzip makes it a third, as real layers.
            byte[] letters = new byte[random.nextInt(2, 12)];
            for (int i = 0; i < letters.length - 1; i++) {
                letters[i] = (byte) ('a' + random.nextInt(26));
            }
            letters[letters.length - 1] = (byte) (random.nextInt(8) == 0 ? '\n' : ' ');
            vocabulary[word] = letters;
        }
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
            byte[] content = words(random, vocabulary, size);
            tar.file("usr/share/d" + file % DIRECTORIES + "/f" + file, 0644, content);
        }
        return tar.build();
    }

    private static byte[] words(SplittableRandom random, byte[][] vocabulary, int size) {
        byte[] content = new byte[size];
        int position = 0;
        while (position < size) {
            byte[] word = vocabulary[random.nextInt(VOCABULARY)];
            int length = Math.min(word.length, size - position);
            System.arraycopy(word, 0, content, position, length);
            position += length;
        }
        return content;
    }
}
