package dev.canal.daemon;

import dev.canal.engine.Engine;
import dev.canal.engine.net.ContainerEndpoint;
import dev.canal.engine.net.NetworkCreate;
import dev.canal.engine.net.NetworkRecord;
import java.time.Instant;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The Engine API's {@code /networks} (docker network ls, inspect, create, rm, prune) over the
 * engine's {@link dev.canal.engine.net.Networks}, in docker's JSON shapes.
 */
final class NetworkEndpoints {

    private final Engine engine;

    NetworkEndpoints(Engine engine) {
        this.engine = engine;
    }

    void register(Routes routes) {
        routes.add("GET", "/networks", this::list)
                .add("POST", "/networks/create", this::create)
                .add("POST", "/networks/prune", this::prune)
                .add(
                        "GET",
                        "/networks/{id}",
                        exchange ->
                                exchange.json(200, describe(engine.networks().find(exchange.path(0)))))
                .add("POST", "/networks/{id}/connect", this::connect)
                .add("POST", "/networks/{id}/disconnect", this::disconnect)
                .add("DELETE", "/networks/{id}", exchange -> {
                    NetworkRecord network = engine.networks().find(exchange.path(0));
                    engine.networks().remove(network.id());
                    engine.events().publish("network", "destroy", network.id(), Map.of("name", network.name()));
                    exchange.empty(204);
                });
    }

    /** GET /networks, filtered as {@link NetworkFilters#forList} says. */
    private void list(Exchange exchange) {
        var wanted = NetworkFilters.forList(
                exchange.filters(),
                network -> !engine.networks().endpointsOn(network).isEmpty());
        ArrayNode answer = Exchange.JSON.createArrayNode();
        for (NetworkRecord network : engine.networks().list()) {
            if (wanted.test(network)) {
                answer.add(describe(network));
            }
        }
        exchange.json(200, answer);
    }

    /**
     * POST /networks/create: {@code {"Name", "Driver", "Internal", "Labels", "IPAM": {"Config":
     * [{"Subnet", "Gateway", "IPRange"}]}}}; answers {@code {"Id", "Warning"}}.
     */
    private void create(Exchange exchange) {
        JsonNode body = exchange.body();
        String name = Json.string(body, "Name");
        if (name == null || name.isEmpty()) {
            throw ApiException.badRequest("network name must not be empty");
        }
        if (body.path("EnableIPv6").asBoolean()) {
            throw ApiException.badRequest("IPv6 networks are not supported yet");
        }
        JsonNode configs = body.path("IPAM").path("Config");
        if (configs.size() > 1) {
            throw ApiException.badRequest("one IPAM config (one IPv4 subnet) per network is supported");
        }
        JsonNode config = configs.path(0);
        NetworkRecord network = engine.networks()
                .create(new NetworkCreate(
                        name,
                        Json.string(body, "Driver"),
                        Json.string(config, "Subnet"),
                        Json.string(config, "Gateway"),
                        Json.string(config, "IPRange"),
                        body.path("Internal").asBoolean(),
                        Json.stringMap(body, "Labels")));
        engine.events().publish("network", "create", network.id(), Map.of("name", network.name(), "type", "bridge"));
        exchange.json(201, Json.object().put("Id", network.id()).put("Warning", ""));
    }

    /** POST /networks/{id}/connect: {@code {"Container", "EndpointConfig": {"IPAMConfig": {"IPv4Address"}, "Aliases"}}}. */
    private void connect(Exchange exchange) {
        JsonNode body = exchange.body();
        JsonNode endpoint = body.path("EndpointConfig");
        engine.connect(
                container(body),
                exchange.path(0),
                Json.string(endpoint.path("IPAMConfig"), "IPv4Address"),
                Json.strings(endpoint, "Aliases"));
        exchange.empty(200);
    }

    /** POST /networks/{id}/disconnect: {@code {"Container", "Force"}}. */
    private void disconnect(Exchange exchange) {
        engine.disconnect(container(exchange.body()), exchange.path(0));
        exchange.empty(200);
    }

    private static String container(JsonNode body) {
        String container = Json.string(body, "Container");
        if (container == null || container.isEmpty()) {
            throw ApiException.badRequest("no container given");
        }
        return container;
    }

    /** POST /networks/prune, filtered as {@link NetworkFilters#forPrune} says: {@code {"NetworksDeleted": [names]}}. */
    private void prune(Exchange exchange) {
        var wanted = NetworkFilters.forPrune(exchange.filters(), Instant.now());
        ObjectNode answer = Json.object();
        ArrayNode deleted = answer.putArray("NetworksDeleted");
        engine.networks().prune(wanted).forEach(deleted::add);
        exchange.json(200, answer);
    }

    /** A network in docker's shape (api/types/network.Inspect). */
    private ObjectNode describe(NetworkRecord network) {
        ObjectNode json = Json.object()
                .put("Name", network.name())
                .put("Id", network.id())
                .put("Created", network.created())
                .put("Scope", "local")
                .put("Driver", network.driver())
                .put("EnableIPv4", network.hasBridge())
                .put("EnableIPv6", false);
        ObjectNode ipam = json.putObject("IPAM").put("Driver", "default");
        ipam.putNull("Options");
        ArrayNode configs = ipam.putArray("Config");
        if (network.hasBridge()) {
            ObjectNode config =
                    configs.addObject().put("Subnet", network.subnet()).put("Gateway", network.gateway());
            if (network.ipRange() != null) {
                config.put("IPRange", network.ipRange());
            }
        }
        json.put("Internal", network.internal())
                .put("Attachable", false)
                .put("Ingress", false)
                .put("ConfigOnly", false);
        json.putObject("ConfigFrom").put("Network", "");
        ObjectNode containers = json.putObject("Containers");
        for (ContainerEndpoint endpoint : engine.networks().endpointsOn(network)) {
            containers
                    .putObject(endpoint.containerId())
                    .put("Name", endpoint.containerName())
                    .put("EndpointID", endpoint.endpointId())
                    .put("MacAddress", endpoint.macAddress())
                    .put("IPv4Address", endpoint.address())
                    .put("IPv6Address", "");
        }
        ObjectNode options = json.putObject("Options");
        if (network.hasBridge()) {
            options.put("com.docker.network.bridge.name", network.bridge());
        }
        json.set("Labels", Json.map(network.labels()));
        return json;
    }
}
