package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.Pipe;
import dev.canal.runtime.sys.Processes;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.TestBundle;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.node.ArrayNode;

/**
 * The attack of issue 19's first finding, as a test: a container scans /proc for the runtime's
 * processes that are not yet exec'd (an {@code exec}'s process, and the held first process of a
 * container created into its pid namespace) and tries to reach through them: their working
 * directory, root, executable, descriptors and memory map, each of which led to the host or to
 * the JVM before (docs/security.md). With CAP_SYS_PTRACE (which a user can grant) the
 * container's Landlock domain stops it; without it, the JVM not being dumpable does. Each
 * engine makes those processes its own way, so each is attacked: the clone engine's scanner
 * has a seccomp filter the thread engine cannot load, which sends its execs to the clone engine
 * too (EngineChoice).
 *
 * <p>It also checks that the scan could see and reach what it should: the held process of the
 * second container, by its pid in the scanner's namespace (it is there for as long as the test
 * keeps it), and a process of the container's own, whose memory map it may read.
 */
@RequiresRoot
class RuntimeOutOfReachTest {

    /**
     * Until /tmp/stop exists: for each process named like a thread of the runtime's JVM
     * (canal-spawn, canal-clone: a child takes its creator's name until it execs), report
     * anything of it that could be reached: its links to directories, files and the executable,
     * a listing of its working directory, a byte of its memory (at the first address its map
     * names, when the map could be read); then, once, the sighting, so that a reader who sees it
     * knows every attempt on that process has been made.
     */
    private static final String SCANNER = """
            sleep 600 & own=$!
            head -c 1 /proc/$own/maps >/dev/null 2>&1 && echo "control readable"
            seen=" "
            while [ ! -e /tmp/stop ]; do
              for d in /proc/[0-9]*; do
                p=${d#/proc/}
                read -r name < $d/comm 2>/dev/null || continue
                case "$name" in canal-*|java) ;; *) continue ;; esac
                for link in cwd root exe fd/0 fd/3 fd/4 fd/5; do
                  target=$(readlink $d/$link 2>/dev/null) && echo "reached $p $link $target"
                done
                ls $d/cwd/ >/dev/null 2>&1 && echo "reached $p cwd-listing"
                address=$(head -1 $d/maps 2>/dev/null | cut -d- -f1)
                [ -n "$address" ] && dd if=$d/mem bs=1 count=1 skip=$((0x$address)) 2>/dev/null | grep -q . \
                  && echo "reached $p mem"
                case "$seen" in *" $p "*) ;; *) seen="$seen$p "; echo "seen $p $name" ;; esac
              done
            done
            kill $own
            echo done
            """;

    private static final int EXECS = 50;

    /** The longest wait for the scanner's report: a bound for a hung scan, not a measure of one. */
    private static final Duration REPORT_LIMIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    @ParameterizedTest(name = "{0} engine, CAP_SYS_PTRACE {1}")
    @CsvSource({"THREAD, true", "THREAD, false", "CLONE, true", "CLONE, false"})
    void aContainerScanningProcCannotReachTheRuntimesProcesses(EngineChoice engine, boolean ptrace) throws Exception {
        var containers = new Containers(work.resolve("state"));
        var bundle = TestBundle.create(work.resolve("scanner")).shell(SCANNER);
        if (engine == EngineChoice.CLONE) {
            // Denies a call the JVM makes on a spawning thread (SpawningThreadFilter), none the
            // scanner makes.
            var seccomp = bundle.linux().putObject("seccomp").put("defaultAction", "SCMP_ACT_ALLOW");
            seccomp.putArray("syscalls")
                    .addObject()
                    .put("action", "SCMP_ACT_ERRNO")
                    .putArray("names")
                    .add("sched_yield");
        }
        if (!ptrace) {
            var caps = bundle.process().putObject("capabilities");
            for (String set : List.of("bounding", "effective", "permitted")) {
                caps.putArray(set)
                        .add("CAP_KILL")
                        .add("CAP_SETUID")
                        .add("CAP_SETGID")
                        .add("CAP_DAC_OVERRIDE");
            }
        }
        String output;
        try (var pipe = Pipe.create()) {
            int out = pipe.writeEnd().fd();
            var scan = new ScanReport(pipe.readEnd());
            Container scanner =
                    containers.create("scanner", bundle.write(), new CreateOptions(engine, new Stdio(0, out, out)));
            try {
                scanner.start();
                podStyleCreate(containers, engine, scanner.pid(), scan);
                for (int i = 0; i < EXECS; i++) {
                    exec(scanner, "[\"true\"]");
                }
                exec(scanner, "[\"touch\", \"/tmp/stop\"]");
                assertEquals(0, scanner.waitForExit());
            } finally {
                scanner.delete(true);
            }
            pipe.writeEnd().close();
            output = scan.whole(REPORT_LIMIT);
        }
        List<String> report = output.lines().toList();
        assertTrue(report.contains("control readable"), "the scan can read its own processes: " + report);
        assertTrue(report.contains("done"), report.toString());
        assertEquals(
                List.of(),
                report.stream().filter(line -> line.startsWith("reached ")).toList(),
                "nothing of the runtime's processes was reachable; the scan: " + report);
    }

    /**
     * A second container created into the scanner's pid namespace and left held until the scan
     * has seen it, by its pid in the scanner's namespace (the last of {@code NSpid} in
     * /proc/PID/status, proc(5)), and made every attempt on it; then deleted without ever
     * starting.
     */
    private void podStyleCreate(Containers containers, EngineChoice engine, int scannerPid, ScanReport scan)
            throws Exception {
        var bundle = TestBundle.create(work.resolve("pod")).args("true").withoutNamespaces("pid");
        ((ArrayNode) bundle.linux().get("namespaces"))
                .addObject()
                .put("type", "pid")
                .put("path", "/proc/" + scannerPid + "/ns/pid");
        Container held = containers.create("pod", bundle.write(), new CreateOptions(engine, Stdio.inherit()));
        try {
            String[] nspids = Files.readAllLines(Path.of("/proc/" + held.pid() + "/status")).stream()
                    .filter(line -> line.startsWith("NSpid:"))
                    .findFirst()
                    .orElseThrow()
                    .split("\\s+");
            int heldPid = Integer.parseInt(nspids[nspids.length - 1]);
            // A pass of the scan forks a dozen programs for each process it tries, so on a busy
            // machine it can take seconds to come round to a new one: no fixed wait is enough.
            String sighting = "seen " + heldPid + " canal-";
            assertTrue(
                    scan.awaitLineStarting(sighting, REPORT_LIMIT),
                    "the scan never saw the held process, " + heldPid + " in its namespace: " + scan.soFar());
        } finally {
            held.delete(true);
        }
    }

    /** The scanner's output as it comes down its pipe, read by a thread of its own until the pipe closes. */
    private static final class ScanReport {

        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private boolean closed;

        ScanReport(OwnedFd fd) {
            Thread.ofPlatform().daemon(true).start(() -> readUntilClosed(fd));
        }

        private void readUntilClosed(OwnedFd fd) {
            byte[] buffer = new byte[4096];
            try {
                for (int count; (count = fd.read(buffer, 0, buffer.length)) > 0; ) {
                    synchronized (this) {
                        bytes.write(buffer, 0, count);
                        notifyAll();
                    }
                }
            } finally {
                synchronized (this) {
                    closed = true;
                    notifyAll();
                }
            }
        }

        synchronized String soFar() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        /** Whether a line starting with {@code prefix} came before the pipe closed and {@code limit} passed. */
        synchronized boolean awaitLineStarting(String prefix, Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (soFar().lines().noneMatch(line -> line.startsWith(prefix))) {
                long left = deadline - System.nanoTime();
                if (closed || left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

        /** Everything the scanner wrote, once every writer has closed the pipe. */
        synchronized String whole(Duration limit) throws InterruptedException {
            long deadline = System.nanoTime() + limit.toNanos();
            while (!closed) {
                long left = deadline - System.nanoTime();
                assertTrue(left > 0, "the scanner's pipe is still open: " + soFar());
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return soFar();
        }
    }

    private static void exec(Container container, String args) {
        ExecutedProcess process =
                container.exec("{\"args\": " + args + ", \"env\": [\"PATH=/bin\"], \"cwd\": \"/\"}", Stdio.inherit());
        assertEquals(0, Processes.waitForExit(process.pid()));
    }
}
