package dev.canal.engine.build;

import dev.canal.images.ImageReference;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One build, as {@code canal build} and {@code POST /build} ask for it.
 *
 * @param context    the build context, a directory (canald unpacks the request's tar into one)
 * @param dockerfile the Dockerfile's text
 * @param tags       the names to give the result; may be empty
 * @param buildArgs  {@code --build-arg NAME=VALUE}; a null value is a NAME not set
 * @param target     {@code --target}: the stage to stop at, or null for the last
 * @param noCache    {@code --no-cache}: every step runs
 * @param labels     {@code --label}: set on the result, as a LABEL step at the end
 * @param network    the RUN containers' network ({@code --network}): {@code default} (the
 *                   engine's bridge, or none without one), {@code none}, {@code host}, a network
 */
public record BuildRequest(
        Path context,
        String dockerfile,
        List<ImageReference> tags,
        Map<String, String> buildArgs,
        String target,
        boolean noCache,
        Map<String, String> labels,
        String network) {

    public BuildRequest {
        tags = List.copyOf(tags);
        // A null value is kept: docker's "--build-arg NAME" with NAME unset in the client.
        buildArgs = Collections.unmodifiableMap(new LinkedHashMap<>(buildArgs));
        labels = Map.copyOf(labels);
        network = network == null || network.isEmpty() ? "default" : network;
    }
}
