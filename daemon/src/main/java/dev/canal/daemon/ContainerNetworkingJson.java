package dev.canal.daemon;

import dev.canal.engine.net.NetworkRequest;
import dev.canal.engine.net.PortRequest;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * What {@code POST /containers/create} asks of the network, read from docker's fields:
 * {@code HostConfig.PortBindings}, {@code PublishAllPorts}, {@code ExtraHosts}, {@code Dns},
 * {@code DnsSearch}, {@code DnsOptions}, the config's {@code ExposedPorts}, and
 * {@code NetworkingConfig.EndpointsConfig.NET.{IPAMConfig.IPv4Address, Aliases}}.
 */
final class ContainerNetworkingJson {

    private ContainerNetworkingJson() {}

    static NetworkRequest request(JsonNode body, String network) {
        JsonNode host = body.path("HostConfig");
        var ports = new ArrayList<PortRequest>();
        host.path("PortBindings").properties().forEach(entry -> {
            if (entry.getValue().isEmpty()) {
                ports.add(PortRequest.parse(entry.getKey(), "", ""));
            }
            for (JsonNode binding : entry.getValue()) {
                ports.add(PortRequest.parse(
                        entry.getKey(), Json.string(binding, "HostIp"), Json.string(binding, "HostPort")));
            }
        });
        List<String> exposed = new ArrayList<>(body.path("ExposedPorts").propertyNames());
        JsonNode endpoint =
                body.path("NetworkingConfig").path("EndpointsConfig").path(network);
        return new NetworkRequest(
                Json.string(endpoint.path("IPAMConfig"), "IPv4Address"),
                Json.strings(endpoint, "Aliases"),
                ports,
                host.path("PublishAllPorts").asBoolean(),
                exposed,
                Json.strings(host, "ExtraHosts"),
                Json.strings(host, "Dns"),
                Json.strings(host, "DnsSearch"),
                Json.strings(host, "DnsOptions"));
    }
}
