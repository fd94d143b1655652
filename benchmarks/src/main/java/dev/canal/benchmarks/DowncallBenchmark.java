package dev.canal.benchmarks;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Syscall;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the syscall layer's conveniences cost per call: getppid(2) through jextract's plain
 * handle (no errno), and through {@link Syscall}, which adds errno capture, a confined arena and
 * the result check. The kernel's own work is the same in both, so the difference is ours.
 *
 * <p>Run: {@code java --enable-native-access=ALL-UNNAMED -jar benchmarks/target/benchmarks.jar Downcall}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class DowncallBenchmark {

    @Benchmark
    public int jextractPlainHandle() {
        return linux_h.getppid();
    }

    @Benchmark
    public long errnoCapturingSyscall() {
        return Syscall.call("getppid", "", linux_h.SYS_getppid());
    }
}
