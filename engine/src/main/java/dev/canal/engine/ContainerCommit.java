package dev.canal.engine;

import dev.canal.images.Image;
import dev.canal.images.ImageCommit;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import dev.canal.images.layer.LayerDiff;
import dev.canal.images.manifest.ImageConfig.RunConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code docker commit}: a container's changes become a new image. Its overlay upper directory
 * is written as a layer tar ({@link LayerDiff}), which goes on top of the container's image;
 * the new config is the container's own (its command, environment, working directory, user,
 * labels, over what it took from the image), then the request's config, then the
 * {@code --change} instructions (moby daemon/commit.go does the same merge).
 */
public final class ContainerCommit {

    private ContainerCommit() {}

    /**
     * What to commit and how.
     *
     * @param name    the new image's name, or null for an image known by its id only
     * @param changes run settings set by the caller ({@code --change}, the request's config): a
     *                function of the container's, applied last
     * @param pause   freeze a running container while its changes are read (docker's default)
     * @param createdBy the history's {@code created_by}; null for the container's command
     */
    public record Request(
            ImageReference name,
            String author,
            String comment,
            UnaryOperator<RunConfig> changes,
            boolean pause,
            String createdBy) {}

    /**
     * Writes the layer of {@code record}'s changes from its upper directory {@code upper} and
     * stores the new image; the temporary tar is deleted whatever happens.
     */
    static Image commit(ImageLibrary library, ContainerRecord record, Path upper, Request request) {
        Image parent = library.find(record.imageId())
                .orElseThrow(() -> new NoSuchObjectException(
                        "the image of container " + record.name() + ", " + record.imageId() + ", is gone"));
        RunConfig run = request.changes().apply(runConfig(parent, record.specOrDefault()));
        Path layer = null;
        try {
            layer = Files.createTempFile(library.content().temporaryDirectory(), "commit-", ".tar");
            try (OutputStream out = Files.newOutputStream(layer)) {
                LayerDiff.write(upper, out);
            }
            String createdBy = request.createdBy() == null ? String.join(" ", record.command()) : request.createdBy();
            return new ImageCommit(parent, layer, run, createdBy, request.author(), request.comment())
                    .store(library, request.name());
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "cannot write the changes of container " + record.name() + ": " + e.getMessage(), e);
        } finally {
            if (layer != null) {
                try {
                    Files.deleteIfExists(layer);
                } catch (IOException ignored) {
                    // A temporary file in the store's tmp directory; nothing depends on it.
                }
            }
        }
    }

    /**
     * The container's environment without the {@code HOSTNAME} every container gets
     * ({@link Environment#base}): docker adds it when it runs one, it is not the image's.
     */
    private static List<String> withoutHostname(ContainerSpec spec) {
        String hostname = "HOSTNAME=" + spec.hostname();
        return spec.env().stream()
                .filter(variable -> !variable.equals(hostname))
                .toList();
    }

    /**
     * The container's settings in the image config's terms: the spec was normalized over the
     * image's, so its command, environment and the rest are what the container ran with; ports,
     * volumes and build settings only the image had come from the image.
     */
    static RunConfig runConfig(Image image, ContainerSpec spec) {
        RunConfig fromImage = image.config().runConfig() == null
                ? RunConfig.EMPTY
                : image.config().runConfig();
        Map<String, String> labels = new LinkedHashMap<>(fromImage.labels() == null ? Map.of() : fromImage.labels());
        labels.putAll(spec.labels());
        return new RunConfig(
                spec.user() == null || spec.user().isEmpty() ? fromImage.user() : spec.user(),
                fromImage.exposedPorts(),
                withoutHostname(spec),
                spec.entrypoint() == null || spec.entrypoint().isEmpty() ? fromImage.entrypoint() : spec.entrypoint(),
                spec.cmd() == null ? fromImage.cmd() : spec.cmd(),
                fromImage.volumes(),
                spec.workingDir() == null ? fromImage.workingDir() : spec.workingDir(),
                labels.isEmpty() ? null : labels,
                spec.stopSignal() == null ? fromImage.stopSignal() : spec.stopSignal(),
                fromImage.healthcheck(),
                fromImage.onBuild(),
                fromImage.shell());
    }
}
