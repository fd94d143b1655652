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

final class PullProgressJson implements PullProgress {
    private final OutputStream out;
    private final Set<Digest> layers = ConcurrentHashMap.newKeySet();

    PullProgressJson(OutputStream out) {
        this.out = out;
    }

    public void pulling(ImageReference reference) {
        this.send(Json.object()
                .put("status", "Pulling from " + reference.repository())
                .put("id", reference.tag() == null ? reference.manifestReference() : reference.tag()));
    }

    public void alreadyExists(Digest layer) {
        this.layer(layer, "Already exists");
    }

    public void waiting(Digest layer, long size) {
        this.layers.add(layer);
        this.layer(layer, "Pulling fs layer");
    }

    public void downloading(Digest layer, long received, long size) {
        if (this.layers.contains(layer)) {
            ObjectNode message = Json.object().put("status", "Downloading");
            message.putObject("progressDetail").put("current", received).put("total", size);
            this.send(message.put("id", layer.hex().substring(0, 12)));
        }
    }

    public void downloaded(Digest layer) {
        if (this.layers.contains(layer)) {
            this.layer(layer, "Download complete");
        }
    }

    public void extracted(Digest layer) {
        if (this.layers.contains(layer)) {
            this.layer(layer, "Pull complete");
        }
    }

    public void finished(ImageReference reference, Digest digest, boolean downloadedAnything) {
        this.status("Digest: " + digest);
        this.status("Status: " + (downloadedAnything ? "Downloaded newer image for " : "Image is up to date for ")
                + reference.familiarName());
    }

    private void layer(Digest layer, String status) {
        ObjectNode message = Json.object().put("status", status);
        message.putObject("progressDetail");
        this.send(message.put("id", layer.hex().substring(0, 12)));
    }

    void status(String status) {
        this.send(Json.object().put("status", status));
    }

    void error(String message) {
        ObjectNode json = Json.object();
        json.putObject("errorDetail").put("message", message);
        this.send(json.put("error", message));
    }

    private synchronized void send(ObjectNode message) {
        try {
            this.out.write(Exchange.JSON.writeValueAsBytes(message));
            this.out.write(10);
            this.out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
