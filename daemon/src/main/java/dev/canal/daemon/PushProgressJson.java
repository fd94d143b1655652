package dev.canal.daemon;

import dev.canal.images.Digest;
import dev.canal.images.ImageReference;
import dev.canal.images.registry.PushProgress;

/**
 * A push's progress as the messages of {@code POST /images/{name}/push}'s {@link ProgressStream}
 * (https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Image/operation/ImagePush), in
 * dockerd's words: "Preparing", then "Pushing" with {@code progressDetail} and "Pushed", "Mounted
 * from REPOSITORY" or "Layer already exists" per layer; last the {@code TAG: digest: D size: N}
 * line and an {@code aux} object with the same facts, which the CLI reads for content trust.
 */
final class PushProgressJson implements PushProgress {
    private final ProgressStream stream;

    PushProgressJson(ProgressStream stream) {
        this.stream = stream;
    }

    @Override
    public void pushing(ImageReference reference) {
        stream.status("The push refers to repository [" + reference.fullRepository() + "]");
    }

    @Override
    public void preparing(Digest layer) {
        stream.layer(layer, "Preparing");
    }

    @Override
    public void alreadyExists(Digest layer) {
        stream.layer(layer, "Layer already exists");
    }

    @Override
    public void mounted(Digest layer, String fromRepository) {
        stream.layer(layer, "Mounted from " + fromRepository);
    }

    @Override
    public void uploading(Digest layer, long sent, long size) {
        stream.transferring(layer, "Pushing", sent, size);
    }

    @Override
    public void pushed(Digest layer) {
        stream.layer(layer, "Pushed");
    }

    @Override
    public void finished(ImageReference reference, Digest digest, long size) {
        stream.status(reference.tag() + ": digest: " + digest + " size: " + size);
        var message = Json.object();
        message.putObject("progressDetail");
        message.putObject("aux")
                .put("Tag", reference.tag())
                .put("Digest", digest.toString())
                .put("Size", size);
        stream.send(message);
    }
}
