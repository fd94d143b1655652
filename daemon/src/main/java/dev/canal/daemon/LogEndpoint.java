package dev.canal.daemon;

import dev.canal.engine.ContainerRecord;
import dev.canal.engine.DockerTimestamp;
import dev.canal.engine.Engine;
import dev.canal.engine.LogReader;
import dev.canal.engine.LogReader.Options;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;

/**
 * {@code GET /containers/{id}/logs} ({@code docker logs}): the container's json-file log read back
 * by the engine's {@link LogReader}, framed as its attach stream would be: with the 8-byte
 * multiplexing header without a terminal, raw with one (https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Container/operation/ContainerLogs).
 */
final class LogEndpoint {
    private final Engine engine;

    LogEndpoint(Engine engine) {
        this.engine = engine;
    }

    void logs(Exchange exchange) throws IOException, InterruptedException {
        ContainerRecord record = engine.find(exchange.path(0));
        boolean stdout = exchange.flag("stdout", false);
        boolean stderr = exchange.flag("stderr", false);
        if (!stdout && !stderr) {
            throw ApiException.badRequest("Bad parameters: you must choose at least one stream");
        }

        String tail = exchange.query("tail");
        Integer lines = null;
        if (tail != null && !tail.isEmpty() && !tail.equals("all")) {
            try {
                lines = Integer.parseInt(tail);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid tail: " + tail);
            }
        }

        Options options = new Options(
                stdout,
                stderr,
                exchange.flag("timestamps", false),
                time(exchange.query("since")),
                time(exchange.query("until")),
                lines,
                exchange.flag("follow", false));
        boolean tty = record.specOrDefault().tty();

        try (OutputStream out = exchange.stream(
                200, tty ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream")) {
            LogReader.read(engine, record.id(), options, new FramedOutput(FramedOutput.to(out), !tty, true, true));
        }
    }

    /**
     * {@code since} and {@code until}: the CLI sends Unix seconds with an optional fraction
     * ("1700000000.123456789"), having turned durations and dates into that itself; "0" is no
     * limit. Read by {@link DockerTimestamp}, as every time the API takes.
     */
    private static Instant time(String text) {
        if (text == null || text.isEmpty() || text.equals("0")) {
            return null;
        }
        try {
            return DockerTimestamp.parse(text, Instant.now());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
