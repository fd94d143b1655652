package dev.canal.cli.run;

import dev.canal.cli.CanalCommand;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What keeps a detached container company once {@code canal run -d} or {@code canal start} has
 * returned: a second canal JVM, {@code canal monitor ID} ({@link MonitorCommand}), in a session
 * of its own (setsid(1)), as podman leaves a conmon behind. It starts the container through the
 * engine, copies its output into the json-file log, records its exit status and, with
 * {@code --rm}, removes it; it reports on a pipe whether the start worked, then stays until the
 * container has ended. docs/running-images.md says why this rather than canald.
 */
final class DetachedMonitor {

    /** The monitor's first line on success; otherwise {@code failed STATUS MESSAGE}. */
    static final String STARTED = "started";

    private DetachedMonitor() {}

    /** What the monitor reported: status 0 once the container runs, else docker's status and why not. */
    record Report(int status, String message) {}

    /** Starts the monitor of container {@code id} and waits for its report. */
    static Report start(CanalCommand canal, String id) {
        var command = new ArrayList<String>();
        command.add("setsid");
        command.add(ProcessHandle.current().info().command().orElseThrow());
        // This JVM's own options (jvm.options, the AOT cache) and class path, so the monitor starts as canal did.
        command.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                CanalCommand.class.getName(),
                "--data-root",
                canal.root().toString(),
                "--exec-root",
                canal.execRoot().toString(),
                "monitor",
                id));
        try {
            Process monitor = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
            String line;
            try (var report =
                    new BufferedReader(new InputStreamReader(monitor.getInputStream(), StandardCharsets.UTF_8))) {
                line = report.readLine();
            }
            if (line == null) {
                return new Report(
                        125,
                        "the monitor of container " + id + " ended before starting it (status " + monitor.waitFor()
                                + ")");
            }
            if (line.equals(STARTED)) {
                return new Report(0, "");
            }
            String[] failed = line.split(" ", 3);
            return new Report(Integer.parseInt(failed[1]), failed[2]);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the monitor of container " + id + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the monitor of container " + id + " started", e);
        }
    }
}
