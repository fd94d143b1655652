package dev.canal.daemon;

import dev.canal.engine.LabelFilter;
import dev.canal.engine.PruneFilters;
import dev.canal.engine.net.NetworkRecord;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The {@code filters} of {@code GET /networks} ({@code docker network ls --filter}) and of
 * {@code POST /networks/prune} ({@code docker network prune --filter}), as moby's
 * daemon/network/filter.go and its prune (daemon/prune.go, {@link PruneFilters}) apply them: a
 * listed network matches when every filter has a value it matches.
 */
final class NetworkFilters {

    private NetworkFilters() {}

    /**
     * {@code docker network ls}: {@code name} (a part of the name), {@code id} (a part of the
     * id), {@code driver}, {@code label} ({@code KEY} or {@code KEY=VALUE}), {@code type}
     * ({@code builtin} or {@code custom}), {@code scope} (all are {@code local}) and
     * {@code dangling} (no container on it, and not pre-defined). {@code inUse} tells whether
     * a container is on a network.
     */
    static Predicate<NetworkRecord> forList(Map<String, List<String>> filters, Predicate<NetworkRecord> inUse) {
        return network -> filters.entrySet().stream()
                .allMatch(filter -> filter.getValue().stream().anyMatch(value -> switch (filter.getKey()) {
                    case "name" -> network.name().contains(value);
                    case "id" -> network.id().contains(value);
                    case "driver" -> value.equals(network.driver());
                    case "label" -> LabelFilter.matches(network.labels(), value);
                    case "type" -> value.equals(network.predefined() ? "builtin" : "custom");
                    case "scope" -> value.equals("local");
                    case "dangling" -> dangling(value) == (!network.predefined() && !inUse.test(network));
                    default -> throw invalid(filter.getKey());
                }));
    }

    /** {@code docker network prune}: {@link PruneFilters} over each network's creation time and labels. */
    static Predicate<NetworkRecord> forPrune(Map<String, List<String>> filters, Instant now) {
        PruneFilters prune = PruneFilters.of(filters, now);
        return network -> prune.selects(network.created(), network.labels());
    }

    /** A {@code dangling} filter's value, as moby reads it for networks and volumes alike. */
    static boolean dangling(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiException.badRequest("invalid filter 'dangling=" + value + "'");
        };
    }

    private static ApiException invalid(String name) {
        return ApiException.badRequest("invalid filter '" + name + "'");
    }
}
