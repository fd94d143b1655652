package dev.canal.daemon;

import dev.canal.engine.DockerTimestamp;
import dev.canal.engine.net.NetworkRecord;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The {@code filters} of {@code GET /networks} ({@code docker network ls --filter}) and of
 * {@code POST /networks/prune} ({@code docker network prune --filter}), as moby's
 * daemon/network/filter.go and its prune (daemon/prune.go) apply them: a network matches when
 * every filter has a value it matches ({@code label!} when it matches none).
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
                    case "label" -> hasLabel(network, value);
                    case "type" -> value.equals(network.predefined() ? "builtin" : "custom");
                    case "scope" -> value.equals("local");
                    case "dangling" -> dangling(value) == (!network.predefined() && !inUse.test(network));
                    default -> throw invalid(filter.getKey());
                }));
    }

    /**
     * {@code docker network prune}: {@code until} (created before a time: a duration back from
     * {@code now}, Unix seconds, or an RFC 3339 date or time, local without a zone),
     * {@code label} and {@code label!}.
     */
    static Predicate<NetworkRecord> forPrune(Map<String, List<String>> filters, Instant now) {
        for (var filter : filters.entrySet()) {
            if (!List.of("until", "label", "label!").contains(filter.getKey())) {
                throw invalid(filter.getKey());
            }
        }
        List<Instant> until = filters.getOrDefault("until", List.of()).stream()
                .map(value -> instant(value, now))
                .toList();
        return network -> until.stream()
                        .allMatch(time -> Instant.parse(network.created()).isBefore(time))
                && filters.getOrDefault("label", List.of()).stream().allMatch(label -> hasLabel(network, label))
                && filters.getOrDefault("label!", List.of()).stream().noneMatch(label -> hasLabel(network, label));
    }

    private static boolean hasLabel(NetworkRecord network, String filter) {
        int equals = filter.indexOf('=');
        return equals < 0
                ? network.labels().containsKey(filter)
                : filter.substring(equals + 1).equals(network.labels().get(filter.substring(0, equals)));
    }

    private static boolean dangling(String value) {
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw ApiException.badRequest("invalid filter 'dangling=" + value + "'");
        };
    }

    /** moby's GetTimestamp ({@link DockerTimestamp}): what the CLI passes on as the user wrote it. */
    private static Instant instant(String value, Instant now) {
        try {
            return DockerTimestamp.parse(value, now);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static ApiException invalid(String name) {
        return ApiException.badRequest("invalid filter '" + name + "'");
    }
}
