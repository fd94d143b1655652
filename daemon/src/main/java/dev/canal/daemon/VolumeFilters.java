package dev.canal.daemon;

import dev.canal.engine.LabelFilter;
import dev.canal.engine.VolumeStore.Info;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The {@code filters} of {@code GET /volumes} ({@code docker volume ls --filter}), as moby's
 * volume service applies them: {@code name} (a part of the name), {@code driver} (all are
 * {@code local}), {@code label} ({@code KEY} or {@code KEY=VALUE}) and {@code dangling} (no
 * container uses it); any other is refused. A volume matches when every filter has a value it
 * matches.
 */
final class VolumeFilters {

    private VolumeFilters() {}

    /** {@code inUse} tells whether a container uses a volume. */
    static Predicate<Info> forList(Map<String, List<String>> filters, Predicate<Info> inUse) {
        for (String name : filters.keySet()) {
            if (!List.of("name", "driver", "label", "dangling").contains(name)) {
                throw ApiException.badRequest("invalid filter '" + name + "'");
            }
        }
        return volume -> filters.entrySet().stream()
                .allMatch(filter -> filter.getValue().stream().anyMatch(value -> switch (filter.getKey()) {
                    case "name" -> volume.name().contains(value);
                    case "driver" -> value.equals("local");
                    case "label" -> LabelFilter.matches(volume.labels(), value);
                    default -> NetworkFilters.dangling(value) == !inUse.test(volume);
                }));
    }
}
