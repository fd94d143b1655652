package dev.canal.engine.net;

import java.util.List;
import java.util.SequencedMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The network parts of {@code docker inspect}: {@code NetworkSettings} (what {@code docker port}
 * and {@code --format '{{.NetworkSettings.Networks.NET.IPAddress}}'} read) and
 * {@code HostConfig.PortBindings}, in the Engine API's shapes.
 */
public final class NetworkSettingsDocument {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private NetworkSettingsDocument() {}

    /**
     * {@code NetworkSettings} of a container on {@code networks} ({@link Networks#networksOf}),
     * whose endpoints (empty unless it runs on a bridge) are {@code endpoints}.
     */
    public static ObjectNode of(
            SequencedMap<String, NetworkConnection> networks, List<ContainerEndpoint> endpoints, int pid) {
        ObjectNode settings = NODES.objectNode()
                .put("Bridge", "")
                .put("SandboxID", "")
                .put("SandboxKey", pid > 0 ? "/proc/" + pid + "/ns/net" : "");
        ObjectNode ports = settings.putObject("Ports");
        ObjectNode networksJson = settings.putObject("Networks");
        settings.put("EndpointID", "").put("Gateway", "").put("IPAddress", "").put("IPPrefixLen", 0);
        settings.put("MacAddress", "");
        if (endpoints.isEmpty()) {
            networks.forEach((name, connection) -> endpointJson(networksJson.putObject(name), null, connection));
            return settings;
        }
        for (ContainerEndpoint endpoint : endpoints) {
            endpointJson(
                    networksJson.putObject(endpoint.networkName()), endpoint, networks.get(endpoint.networkName()));
            for (PublishedPort port : endpoint.ports()) {
                ports.withArrayProperty(port.key())
                        .addObject()
                        .put("HostIp", port.hostIp().isEmpty() ? "0.0.0.0" : port.hostIp())
                        .put("HostPort", Integer.toString(port.hostPort()));
            }
            if (endpoint.networkName().equals(NetworkRecord.DEFAULT_BRIDGE)) {
                // The API's top-level fields describe the default bridge only (docker's legacy fields).
                settings.put("EndpointID", endpoint.endpointId())
                        .put("Gateway", endpoint.gateway())
                        .put("IPAddress", endpoint.ipAddress())
                        .put("IPPrefixLen", endpoint.prefixLength())
                        .put("MacAddress", endpoint.macAddress());
            }
        }
        return settings;
    }

    /** {@code HostConfig.PortBindings}: what {@code -p} asked, host ports as given ("" for any). */
    public static ObjectNode portBindings(NetworkRequest request) {
        ObjectNode bindings = NODES.objectNode();
        for (PortRequest port : request.ports()) {
            bindings.withArrayProperty(port.key())
                    .addObject()
                    .put("HostIp", port.hostIp())
                    .put("HostPort", port.hostPort() == 0 ? "" : Integer.toString(port.hostPort()));
        }
        return bindings;
    }

    /** One network's entry; {@code connection} (its {@code --ip} and aliases) is null for a network removed meanwhile. */
    private static void endpointJson(ObjectNode json, ContainerEndpoint endpoint, NetworkConnection connection) {
        String fixed = connection == null ? null : connection.ipv4Address();
        if (fixed == null) {
            json.putNull("IPAMConfig");
        } else {
            json.putObject("IPAMConfig").put("IPv4Address", fixed);
        }
        json.putNull("Links");
        ArrayNode aliases = json.putArray("Aliases");
        (endpoint != null ? endpoint.aliases() : connection.aliases()).forEach(aliases::add);
        json.put("MacAddress", endpoint == null ? "" : endpoint.macAddress())
                .put("NetworkID", endpoint == null ? "" : endpoint.networkId())
                .put("EndpointID", endpoint == null ? "" : endpoint.endpointId())
                .put("Gateway", endpoint == null ? "" : endpoint.gateway())
                .put("IPAddress", endpoint == null ? "" : endpoint.ipAddress())
                .put("IPPrefixLen", endpoint == null ? 0 : endpoint.prefixLength())
                .put("IPv6Gateway", "")
                .put("GlobalIPv6Address", "")
                .put("GlobalIPv6PrefixLen", 0);
        ArrayNode names = json.putArray("DNSNames");
        if (endpoint != null) {
            endpoint.dnsNames().forEach(names::add);
        }
    }
}
