package dev.canal.engine;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code filters} of {@code docker container prune}, {@code network prune} and
 * {@code image prune} (which takes {@code dangling} as well: {@link ImagePrune}), as
 * moby's daemon/prune.go applies them to an object's creation time and labels: {@code until}
 * (created then or before: what {@link DockerTimestamp} reads, a duration back from now
 * included), {@code label} (every one matches) and {@code label!} (not every one matches).
 * Any other filter is refused, as an {@code until} given twice is: an
 * {@link IllegalArgumentException} with moby's message, which canald answers with 400.
 */
public final class PruneFilters {

    private static final Set<String> ACCEPTED = Set.of("until", "label", "label!");

    private final Instant until;
    private final List<String> labels;
    private final List<String> notLabels;

    private PruneFilters(Instant until, List<String> labels, List<String> notLabels) {
        this.until = until;
        this.labels = labels;
        this.notLabels = notLabels;
    }

    /** @throws IllegalArgumentException for a filter no prune takes or an {@code until} that is no time */
    public static PruneFilters of(Map<String, List<String>> filters, Instant now) {
        for (String name : filters.keySet()) {
            if (!ACCEPTED.contains(name)) {
                throw new IllegalArgumentException("invalid filter '" + name + "'");
            }
        }
        List<String> untils = filters.getOrDefault("until", List.of());
        if (untils.size() > 1) {
            throw new IllegalArgumentException("more than one until filter specified");
        }
        Instant until = null;
        if (!untils.isEmpty()) {
            until = DockerTimestamp.parse(untils.getFirst(), now);
        }
        return new PruneFilters(
                until, filters.getOrDefault("label", List.of()), filters.getOrDefault("label!", List.of()));
    }

    /** Whether an object created at {@code created} (RFC 3339, or null) with {@code objectLabels} is to be pruned. */
    public boolean selects(String created, Map<String, String> objectLabels) {
        // moby's image prune skips an image without a creation time when until is given
        return (until == null || created != null && !Instant.parse(created).isAfter(until))
                && labels.stream().allMatch(label -> LabelFilter.matches(objectLabels, label))
                // moby's MatchKVList("label!"): kept only when it matches every one
                && (notLabels.isEmpty()
                        || !notLabels.stream().allMatch(label -> LabelFilter.matches(objectLabels, label)));
    }
}
