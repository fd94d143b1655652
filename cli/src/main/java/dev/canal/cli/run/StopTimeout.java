package dev.canal.cli.run;

import picocli.CommandLine.Option;

/** {@code -t N} of {@code docker stop} and {@code docker restart} (a picocli mixin). */
final class StopTimeout {

    @Option(
            names = {"-t", "--timeout", "--time"},
            paramLabel = "SECONDS",
            description = "Seconds to wait after the stop signal before SIGKILL (default: the container's, 10).")
    Integer seconds;

    /** The seconds given, or null for the container's own stop timeout. */
    Integer seconds() {
        if (seconds != null && seconds < 0) {
            throw new IllegalArgumentException("-t " + seconds + ": the timeout must be 0 or more seconds");
        }
        return seconds;
    }
}
