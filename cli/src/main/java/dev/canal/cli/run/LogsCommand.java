package dev.canal.cli.run;

import dev.canal.cli.image.Commands;
import dev.canal.engine.DockerTimestamp;
import dev.canal.engine.Engine;
import dev.canal.engine.LogReader;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code canal logs [-f] [-t] [--tail N] CONTAINER}, as {@code docker logs}: what the container
 * wrote, from its json-file log (rotated generations first), each stream to canal's own; with
 * {@code -f} it goes on following until the container ends.
 */
@Command(name = "logs", mixinStandardHelpOptions = true, description = "Show a container's output.")
public final class LogsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--follow"},
            description = "Follow the output until the container ends.")
    boolean follow;

    @Option(
            names = {"-t", "--timestamps"},
            description = "Start each line with the time it was written.")
    boolean timestamps;

    @Option(
            names = {"-n", "--tail"},
            paramLabel = "N",
            defaultValue = "all",
            description = "Only the last N lines (default: all).")
    String tail;

    @Option(
            names = "--since",
            paramLabel = "TIME",
            description =
                    "Only lines written since TIME: a date-time (2024-01-02T15:04:05Z), Unix seconds or a duration before now (10m).")
    String since;

    @Option(
            names = "--until",
            paramLabel = "TIME",
            description = "Only lines written before TIME, in the forms --since takes.")
    String until;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "Container name or id.")
    String container;

    @Override
    public Integer call() throws InterruptedException {
        Integer lines = tail.equals("all") ? null : tailLines();
        try (Engine engine = Commands.canal(spec).engine()) {
            String id = engine.find(container).id();
            Instant now = Instant.now();
            var options = new LogReader.Options(
                    true, true, timestamps, time("since", since, now), time("until", until, now), lines, follow);
            LogReader.read(engine, id, options, new StandardStreams());
        }
        return 0;
    }

    /** {@code --since} or {@code --until}, in the docker CLI's words when it is no time. */
    private static Instant time(String option, String value, Instant now) {
        try {
            return value == null ? null : DockerTimestamp.parse(value, now);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid value for \"" + option + "\": " + e.getMessage(), e);
        }
    }

    private Integer tailLines() {
        try {
            return Integer.parseInt(tail);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--tail " + tail + ": a number of lines, or all");
        }
    }
}
