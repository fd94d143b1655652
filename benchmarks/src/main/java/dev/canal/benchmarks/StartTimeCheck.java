package dev.canal.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The start-time pair of the performance gate: {@code bin/canal-oci state} of a created container,
 * the command engines call most, against a hello-world JVM started with the same JVM options
 * ({@code bin/lib/jvm.options} and C1 only, as bin/canal-oci starts state), both as whole
 * processes, alternating one of each per round so that a burst of load elsewhere hits both. The
 * gate compares the fastest of each (PerformanceGate). A JVM cannot start faster than its hello world, so this
 * ratio says how much Canal adds to a start: the launcher, loading and linking outside the AOT
 * cache, the command itself. Needs root (the container), /bin/busybox, and Canal built.
 */
final class StartTimeCheck implements AutoCloseable {

    static final int WARM_UP_ROUNDS = 3;
    static final int ROUNDS = 15;

    private static final String ID = "canal-gate-start";

    private final Path work;
    private final List<String> canalOci;

    private StartTimeCheck(Path work) {
        this.work = work;
        this.canalOci = List.of(
                Path.of("bin/canal-oci").toAbsolutePath().toString(),
                "--root",
                work.resolve("root").toString());
    }

    /** A created container of a busybox bundle with canal-oci spec's config, held before its program. */
    static StartTimeCheck withACreatedContainer() throws IOException, InterruptedException {
        var check = new StartTimeCheck(Files.createTempDirectory("canal-gate-start"));
        try {
            Path bundle = Files.createDirectories(check.work.resolve("bundle"));
            Path bin = Files.createDirectories(bundle.resolve("rootfs/bin"));
            Files.copy(Path.of("/bin/busybox"), bin.resolve("busybox"));
            Files.createSymbolicLink(bin.resolve("true"), Path.of("busybox"));
            check.canalOci("spec", "--bundle", bundle.toString());
            Path config = bundle.resolve("config.json");
            var json = JsonMapper.builder().build();
            var tree = (ObjectNode) json.readTree(config.toFile());
            tree.withObjectProperty("process")
                    .put("terminal", false)
                    .putArray("args")
                    .add("/bin/true");
            Files.writeString(config, tree.toString());
            check.canalOci("create", "--bundle", bundle.toString(), ID);
            return check;
        } catch (IOException | InterruptedException | RuntimeException e) {
            check.close();
            throw e;
        }
    }

    /** One measurement: canal-oci state's and the hello world's median and fastest time, in ms. */
    record Times(double canalMedian, double baselineMedian, double canalFastest, double baselineFastest) {}

    /** Times canal-oci state and the hello world alternately, {@value #ROUNDS} rounds after the warm-up. */
    Times measure() throws IOException, InterruptedException {
        List<String> state = new ArrayList<>(canalOci);
        state.addAll(List.of("state", ID));
        List<String> hello = List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "@" + Path.of("bin/lib/jvm.options").toAbsolutePath(),
                "-XX:TieredStopAtLevel=1",
                "-cp",
                Path.of(HelloWorld.class
                                .getProtectionDomain()
                                .getCodeSource()
                                .getLocation()
                                .getPath())
                        .toString(),
                HelloWorld.class.getName());
        double[] canal = new double[ROUNDS];
        double[] baseline = new double[ROUNDS];
        for (int round = -WARM_UP_ROUNDS; round < ROUNDS; round++) {
            double canalMs = millis(state);
            double baselineMs = millis(hello);
            if (round >= 0) {
                canal[round] = canalMs;
                baseline[round] = baselineMs;
            }
        }
        return new Times(
                median(canal),
                median(baseline),
                Arrays.stream(canal).min().orElseThrow(),
                Arrays.stream(baseline).min().orElseThrow());
    }

    private double millis(List<String> command) throws IOException, InterruptedException {
        long start = System.nanoTime();
        run(command);
        return (System.nanoTime() - start) / 1e6;
    }

    private void canalOci(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(canalOci);
        command.addAll(List.of(args));
        run(command);
    }

    /** Runs {@code command} to its end, its output discarded; a failure throws with its errors. */
    private void run(List<String> command) throws IOException, InterruptedException {
        Path errors = work.resolve("errors.txt");
        Process process = new ProcessBuilder(command)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(errors.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
                .start();
        if (process.waitFor() != 0) {
            throw new IllegalStateException(String.join(" ", command) + " failed with " + process.exitValue() + ": "
                    + Files.readString(errors));
        }
    }

    private static double median(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** Deletes the container and the directory, whatever happened before. */
    @Override
    public void close() throws IOException, InterruptedException {
        try {
            canalOci("delete", "--force", ID);
        } finally {
            try (Stream<Path> files = Files.walk(work)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(file);
                }
            }
        }
    }
}
