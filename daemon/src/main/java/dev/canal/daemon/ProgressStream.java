package dev.canal.daemon;

import dev.canal.images.Digest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON message stream that pull ({@code POST /images/create}) and push ({@code POST
 * /images/{name}/push}) answer with, one object a line, which the CLI draws as progress bars
 * (https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Image/operation/ImageCreate):
 * a status, per layer with its short id, and an {@code errorDetail} for a failure that comes after
 * the 200 has been sent. Layers are transferred on several threads, so writes are synchronized.
 */
final class ProgressStream {
    private final OutputStream out;

    ProgressStream(OutputStream out) {
        this.out = out;
    }

    /** {@code {"status":STATUS,"progressDetail":{},"id":SHORT-ID}}: one line of the layer's bar. */
    void layer(Digest layer, String status) {
        ObjectNode message = Json.object().put("status", status);
        message.putObject("progressDetail");
        send(message.put("id", layer.hex().substring(0, 12)));
    }

    /** A layer's bar as bytes go: the CLI draws {@code current} of {@code total}. */
    void transferring(Digest layer, String status, long current, long total) {
        ObjectNode message = Json.object().put("status", status);
        message.putObject("progressDetail").put("current", current).put("total", total);
        send(message.put("id", layer.hex().substring(0, 12)));
    }

    void status(String status) {
        send(Json.object().put("status", status));
    }

    /** The stream's last message: the CLI prints it and exits 1. */
    void error(String message) {
        ObjectNode json = Json.object();
        json.putObject("errorDetail").put("message", message);
        send(json.put("error", message));
    }

    synchronized void send(ObjectNode message) {
        try {
            out.write(Exchange.JSON.writeValueAsBytes(message));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
