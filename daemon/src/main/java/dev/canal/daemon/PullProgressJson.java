package dev.canal.daemon;

import dev.canal.images.Digest;
import dev.canal.images.ImageReference;
import dev.canal.images.registry.PullProgress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.databind.node.ObjectNode;

/**
 * A pull's progress as the JSON messages {@code POST /images/create} streams, one object a line,
 * which the CLI draws as its progress bars (https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Image/operation/ImageCreate): a status
 * and the layer's short id, "Downloading" with {@code progressDetail}, and an
 * {@code errorDetail} for a failure that comes after the 200 has been sent.
 */
final class PullProgressJson implements PullProgress {
    private final OutputStream out;
    /** The layers this pull downloads: progress of the others would be noise. */
    private final Set<Digest> layers = ConcurrentHashMap.newKeySet();

    PullProgressJson(OutputStream out) {
        this.out = out;
    }

    @Override
    public void pulling(ImageReference reference) {
        send(Json.object()
                .put("status", "Pulling from " + reference.repository())
                .put("id", reference.tag() == null ? reference.manifestReference() : reference.tag()));
    }

    @Override
    public void alreadyExists(Digest layer) {
        layer(layer, "Already exists");
    }

    @Override
    public void waiting(Digest layer, long size) {
        layers.add(layer);
        layer(layer, "Pulling fs layer");
    }

    @Override
    public void downloading(Digest layer, long received, long size) {
        if (layers.contains(layer)) {
            ObjectNode message = Json.object().put("status", "Downloading");
            message.putObject("progressDetail").put("current", received).put("total", size);
            send(message.put("id", layer.hex().substring(0, 12)));
        }
    }

    @Override
    public void downloaded(Digest layer) {
        if (layers.contains(layer)) {
            layer(layer, "Download complete");
        }
    }

    @Override
    public void extracted(Digest layer) {
        if (layers.contains(layer)) {
            layer(layer, "Pull complete");
        }
    }

    @Override
    public void finished(ImageReference reference, Digest digest, boolean downloadedAnything) {
        status("Digest: " + digest);
        status("Status: " + (downloadedAnything ? "Downloaded newer image for " : "Image is up to date for ")
                + reference.familiarName());
    }

    private void layer(Digest layer, String status) {
        ObjectNode message = Json.object().put("status", status);
        message.putObject("progressDetail");
        send(message.put("id", layer.hex().substring(0, 12)));
    }

    void status(String status) {
        send(Json.object().put("status", status));
    }

    void error(String message) {
        ObjectNode json = Json.object();
        json.putObject("errorDetail").put("message", message);
        send(json.put("error", message));
    }

    private synchronized void send(ObjectNode message) {
        try {
            out.write(Exchange.JSON.writeValueAsBytes(message));
            out.write('\n');
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
