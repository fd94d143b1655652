package dev.canal.engine;

import dev.canal.images.Digest;
import dev.canal.images.ImageLibrary.PrunedImage;
import dev.canal.images.ImageReference;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code docker image prune} and {@code canal image prune}, as moby's ImagesPrune
 * (daemon/images/image_prune.go): the dangling images, or with the filter {@code dangling=false}
 * (the CLI's {@code -a}) every image, that no container (running or stopped) uses and that
 * {@link PruneFilters} select ({@code until}, {@code label}, {@code label!}); then the unpacked
 * layers no image or container uses any more, whose bytes are the space reclaimed.
 */
public final class ImagePrune {

    private ImagePrune() {}

    /** What a prune removed: the images, each with the names it lost, and the bytes its layers held. */
    public record Report(List<PrunedImage> images, long spaceReclaimed) {}

    /**
     * Prunes as {@code filters} ask, publishing docker's untag and delete events.
     *
     * @throws IllegalArgumentException in moby's words for a filter image prune does not take,
     *     before anything is removed
     */
    public static Report run(Engine engine, Map<String, List<String>> filters, Instant now) {
        var others = new HashMap<>(filters);
        boolean danglingOnly = danglingOnly(others.remove("dangling"));
        PruneFilters selection = PruneFilters.of(others, now);
        Set<Digest> inUse = engine.list(true).stream()
                .map(view -> view.record().imageId())
                .filter(Objects::nonNull)
                .map(Digest::parse)
                .collect(Collectors.toSet());
        List<PrunedImage> images = engine.images().pruneImages(!danglingOnly, inUse, config -> {
            var run = config.runConfig();
            return selection.selects(config.created(), run == null || run.labels() == null ? Map.of() : run.labels());
        });
        for (PrunedImage image : images) {
            String id = image.id().toString();
            for (ImageReference name : image.untagged()) {
                engine.events().publish("image", "untag", id, Map.of("name", name.familiarName()));
            }
            engine.events().publish("image", "delete", id, Map.of("name", id));
        }
        long reclaimed = engine.images().pruneLayersSized().values().stream()
                .mapToLong(Long::longValue)
                .sum();
        return new Report(images, reclaimed);
    }

    /**
     * The {@code dangling} filter as moby's Args.GetBoolOrDefault reads it: absent means true,
     * else 1 or true, or 0 or false, not both; anything else is refused.
     */
    private static boolean danglingOnly(List<String> values) {
        if (values == null) {
            return true;
        }
        boolean isTrue = values.contains("1") || values.contains("true");
        boolean isFalse = values.contains("0") || values.contains("false");
        if (isTrue == isFalse) {
            throw new IllegalArgumentException("invalid filter 'dangling=" + String.join(",", values) + "'");
        }
        return isTrue;
    }
}
