package dev.canal.daemon;

import dev.canal.engine.Engine;
import dev.canal.engine.ExecSession;
import dev.canal.engine.ExecSpec;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.Pseudoterminal;
import java.io.IOException;
import java.util.Arrays;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code docker exec} (Exec, https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Exec): create an exec session
 * in a running container, start it (detached, or attached through a {@link HijackedStream} as
 * the CLI does), resize its terminal and inspect it, where the CLI reads the exit code once the
 * stream has ended.
 */
final class ExecEndpoints {
    private final Engine engine;

    ExecEndpoints(Engine engine) {
        this.engine = engine;
    }

    void register(Routes routes) {
        routes.add("POST", "/containers/{id}/exec", this::create)
                .add("POST", "/exec/{id}/start", this::start)
                .add("POST", "/exec/{id}/resize", this::resize)
                .add("GET", "/exec/{id}/json", this::inspect);
    }

    private void create(Exchange exchange) {
        JsonNode body = exchange.body();
        ExecSpec spec = new ExecSpec(
                Json.strings(body, "Cmd"),
                Json.strings(body, "Env"),
                Json.string(body, "User"),
                Json.string(body, "WorkingDir"),
                body.path("Tty").asBoolean(),
                body.path("AttachStdin").asBoolean(),
                body.path("AttachStdout").asBoolean(),
                body.path("AttachStderr").asBoolean(),
                body.path("Privileged").asBoolean(),
                Json.consoleSize(body.path("ConsoleSize")));
        ExecSession session = engine.createExec(exchange.path(0), spec);
        exchange.json(201, Json.object().put("Id", session.id()));
    }

    private void start(Exchange exchange) {
        ExecSession session = engine.exec(exchange.path(0));
        JsonNode body = exchange.body();
        boolean tty = session.spec().tty();
        // docker exec -d: no stream, the output goes nowhere, as with dockerd.
        if (body.path("Detach").asBoolean()) {
            engine.startExec(session.id(), new FramedOutput((bytes, offset, length) -> {}, false, false, false));
            exchange.empty(200);
        } else {
            ExecSpec spec = session.spec();
            HijackedStream.upgrade(exchange, !tty, connection -> {
                FramedOutput output =
                        new FramedOutput(connection::write, !tty, spec.attachStdout(), spec.attachStderr());

                try {
                    engine.startExec(session.id(), output);
                } catch (RuntimeException e) {
                    writeError(connection, tty, e);
                    return;
                }

                if (spec.attachStdin()) {
                    connection.startReading("canal-exec-stdin", () -> copyInput(connection, session));
                }

                try {
                    output.awaitEnd();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
        }
    }

    /**
     * The 101 is sent before the process starts, so a failure to start is told on the stream,
     * in runc's words, which the CLI prints; the exit code (126, 127) is the session's.
     */
    private static void writeError(HijackedStream connection, boolean tty, RuntimeException e) {
        FramedOutput output = new FramedOutput(connection::write, !tty, true, true);
        byte[] message = ContainerEndpoints.utf8(
                "OCI runtime exec failed: " + (e.getMessage() == null ? e.toString() : e.getMessage()) + "\n");

        try {
            output.write("stderr", message, 0, message.length);
        } catch (RuntimeException clientGone) {
            // nobody to tell
        }
    }

    private static void copyInput(HijackedStream connection, ExecSession session) {
        byte[] buffer = new byte[32768];
        OwnedFd input = session.input();
        if (input != null) {
            try {
                int count;
                while ((count = connection.read(buffer)) > 0) {
                    input.writeFully(Arrays.copyOf(buffer, count));
                }

                // The client's stdin ended: a pipe's end is the program's EOF. A terminal stays
                // open, as it would for a user who stops typing.
                if (session.terminal() == null) {
                    input.close();
                }
            } catch (IOException | RuntimeException clientOrProcessGone) {
                // nothing more to copy
            }
        }
    }

    private void resize(Exchange exchange) {
        ExecSession session = engine.exec(exchange.path(0));
        Integer rows = exchange.integer("h");
        Integer columns = exchange.integer("w");
        if (session.terminal() != null && rows != null && columns != null) {
            Pseudoterminal.setWindowSize(session.terminal(), rows, columns);
        }

        exchange.empty(200);
    }

    private void inspect(Exchange exchange) {
        ExecSession session = engine.exec(exchange.path(0));
        ObjectNode json = Json.object()
                .put("ID", session.id())
                .put("ContainerID", session.containerId())
                .put("Running", session.running())
                .put("Pid", session.pid())
                .put("OpenStdin", session.spec().attachStdin())
                .put("OpenStdout", session.spec().attachStdout())
                .put("OpenStderr", session.spec().attachStderr())
                .put("CanRemove", false)
                .put("DetachKeys", "");
        if (session.exitCode() != null) {
            json.put("ExitCode", session.exitCode());
        } else {
            json.putNull("ExitCode");
        }

        ObjectNode process = json.putObject("ProcessConfig")
                .put("tty", session.spec().tty())
                .put("entrypoint", session.spec().cmd().getFirst())
                .put("privileged", session.spec().privileged())
                .put("user", session.spec().user() == null ? "" : session.spec().user());
        process.set(
                "arguments",
                Json.array(session.spec().cmd().subList(1, session.spec().cmd().size())));
        exchange.json(200, json);
    }
}
