package dev.canal.daemon;

import dev.canal.images.Digest;
import dev.canal.images.ImageReference;
import dev.canal.images.registry.PullProgress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A pull's progress as the messages of {@code POST /images/create}'s {@link ProgressStream}
 * (https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Image/operation/ImageCreate):
 * "Pulling fs layer", "Downloading" with {@code progressDetail}, "Pull complete", then the
 * digest and status lines.
 */
final class PullProgressJson implements PullProgress {
    private final ProgressStream stream;
    /** The layers this pull downloads: progress of the others would be noise. */
    private final Set<Digest> layers = ConcurrentHashMap.newKeySet();

    PullProgressJson(ProgressStream stream) {
        this.stream = stream;
    }

    @Override
    public void pulling(ImageReference reference) {
        stream.send(Json.object()
                .put("status", "Pulling from " + reference.repository())
                .put("id", reference.tag() == null ? reference.manifestReference() : reference.tag()));
    }

    @Override
    public void alreadyExists(Digest layer) {
        stream.layer(layer, "Already exists");
    }

    @Override
    public void waiting(Digest layer, long size) {
        layers.add(layer);
        stream.layer(layer, "Pulling fs layer");
    }

    @Override
    public void downloading(Digest layer, long received, long size) {
        if (layers.contains(layer)) {
            stream.transferring(layer, "Downloading", received, size);
        }
    }

    @Override
    public void downloaded(Digest layer) {
        if (layers.contains(layer)) {
            stream.layer(layer, "Download complete");
        }
    }

    @Override
    public void extracted(Digest layer) {
        if (layers.contains(layer)) {
            stream.layer(layer, "Pull complete");
        }
    }

    @Override
    public void finished(ImageReference reference, Digest digest, boolean downloadedAnything) {
        stream.status("Digest: " + digest);
        stream.status("Status: " + (downloadedAnything ? "Downloaded newer image for " : "Image is up to date for ")
                + reference.familiarName());
    }
}
