package dev.canal.daemon;

import dev.canal.engine.ContainerRecord;
import dev.canal.engine.ContainerView;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;

/**
 * The {@code filters} of {@code GET /containers/json} ({@code docker ps --filter}), a JSON map
 * from a filter's name to the values wanted (https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Container/operation/ContainerList): a
 * container matches when every filter has a value it matches; labels must all match.
 */
final class ContainerFilters {
    private ContainerFilters() {}

    static boolean matches(ContainerView view, Map<String, List<String>> filters) {
        ContainerRecord record = view.record();

        for (Entry<String, List<String>> filter : filters.entrySet()) {
            List<String> wanted = filter.getValue();

            boolean ok = switch (filter.getKey()) {
                case "id" -> wanted.stream().anyMatch(id -> record.id().startsWith(id));
                // dockerd matches a name filter as a regular expression anywhere in the name.
                case "name" ->
                    wanted.stream().anyMatch(name -> record.name().matches(".*" + name.replaceFirst("^/", "") + ".*"));
                case "status" -> wanted.contains(view.state().status());
                case "exited" ->
                    !view.state().running()
                            && record.exitCode() != null
                            && wanted.contains(Integer.toString(record.exitCode()));
                case "label" -> wanted.stream().allMatch(label -> hasLabel(record, label));
                case "ancestor" ->
                    wanted.stream()
                            .anyMatch(image -> image.equals(record.image())
                                    || record.imageId() != null
                                            && record.imageId()
                                                    .replace("sha256:", "")
                                                    .startsWith(image.replace("sha256:", "")));
                // Accepted, not applied: the CLI sends them only when asked to.
                case "before", "since" -> true;
                default -> throw ApiException.badRequest("invalid filter '" + filter.getKey() + "'");
            };
            if (!ok) {
                return false;
            }
        }

        return true;
    }

    private static boolean hasLabel(ContainerRecord record, String label) {
        Map<String, String> labels = record.specOrDefault().labels();
        int equals = label.indexOf('=');
        return equals < 0
                ? labels.containsKey(label)
                : label.substring(equals + 1).equals(labels.get(label.substring(0, equals)));
    }
}
