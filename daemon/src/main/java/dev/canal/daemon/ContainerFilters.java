package dev.canal.daemon;

import dev.canal.engine.ContainerRecord;
import dev.canal.engine.ContainerView;
import dev.canal.engine.LabelFilter;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The {@code filters} of {@code GET /containers/json} ({@code docker ps --filter}), a JSON map
 * from a filter's name to the values wanted (https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Container/operation/ContainerList): a
 * container matches when every filter has a value it matches; labels must all match.
 */
final class ContainerFilters {
    private ContainerFilters() {}

    /** {@code summary}: the container as the list shows it, for the network filters. */
    static boolean matches(ContainerView view, ObjectNode summary, Map<String, List<String>> filters) {
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
                case "label" ->
                    wanted.stream()
                            .allMatch(label ->
                                    LabelFilter.matches(record.specOrDefault().labels(), label));
                case "ancestor" ->
                    wanted.stream()
                            .anyMatch(image -> image.equals(record.image())
                                    || record.imageId() != null
                                            && record.imageId()
                                                    .replace("sha256:", "")
                                                    .startsWith(image.replace("sha256:", "")));
                case "network" -> wanted.stream().anyMatch(network -> onNetwork(summary, network));
                case "publish" -> wanted.stream().anyMatch(port -> hasPort(summary, "PublicPort", port));
                case "expose" -> wanted.stream().anyMatch(port -> hasPort(summary, "PrivatePort", port));
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

    /** On the network named {@code network}, or whose id is or starts with it. */
    private static boolean onNetwork(ObjectNode summary, String network) {
        JsonNode networks = summary.path("NetworkSettings").path("Networks");
        return networks.has(network)
                || networks.valueStream().anyMatch(settings -> {
                    String id = settings.path("NetworkID").asString("");
                    return !id.isEmpty() && id.startsWith(network);
                });
    }

    /**
     * A port of the list's {@code Ports} whose {@code field} ({@code PublicPort} for
     * {@code publish}, {@code PrivatePort} for {@code expose}) is {@code wanted}: {@code 80},
     * {@code 80/udp} or a range {@code 8000-8080/tcp}; tcp unless a protocol is given.
     */
    private static boolean hasPort(ObjectNode summary, String field, String wanted) {
        int slash = wanted.indexOf('/');
        String protocol = slash < 0 ? "tcp" : wanted.substring(slash + 1);
        String ports = slash < 0 ? wanted : wanted.substring(0, slash);
        int dash = ports.indexOf('-');
        int first;
        int last;
        try {
            first = Integer.parseInt(dash < 0 ? ports : ports.substring(0, dash));
            last = dash < 0 ? first : Integer.parseInt(ports.substring(dash + 1));
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid port " + wanted + " in filter '"
                    + (field.equals("PublicPort") ? "publish" : "expose") + "'");
        }
        return summary.path("Ports")
                .valueStream()
                .anyMatch(port -> port.has(field)
                        && port.path(field).asInt() >= first
                        && port.path(field).asInt() <= last
                        && port.path("Type").asString("").equals(protocol));
    }
}
