package dev.canal.daemon;

import dev.canal.engine.ContainerView;
import dev.canal.engine.Engine;
import dev.canal.engine.net.ContainerEndpoint;
import dev.canal.engine.net.NetworkSettingsDocument;
import dev.canal.engine.net.PublishedPort;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The network fields of a container in {@code GET /containers/json} (docker ps): {@code Ports},
 * what the PORTS column shows, and {@code NetworkSettings.Networks}, what
 * {@code --format '{{.Networks}}'} shows. As moby's list (daemon/list.go) builds them from the
 * container's NetworkSettings: a running container's published ports, host side chosen, and
 * its exposed ports without a host side; a stopped one has none, but still its networks.
 */
final class ContainerListNetworking {

    private ContainerListNetworking() {}

    /** {@code [{"IP", "PrivatePort", "PublicPort", "Type"}]}; an exposed port alone has no IP nor PublicPort. */
    static ArrayNode ports(ContainerView view, List<ContainerEndpoint> endpoints, Engine engine) {
        ArrayNode ports = Exchange.JSON.createArrayNode();
        if (!view.state().running() || endpoints.isEmpty()) {
            return ports;
        }
        Set<String> published = new LinkedHashSet<>();
        for (ContainerEndpoint endpoint : endpoints) {
            for (PublishedPort port : endpoint.ports()) {
                published.add(port.key());
                ports.addObject()
                        .put("IP", port.hostIp().isEmpty() ? "0.0.0.0" : port.hostIp())
                        .put("PrivatePort", port.containerPort())
                        .put("PublicPort", port.hostPort())
                        .put("Type", port.protocol());
            }
        }
        for (String exposed : exposedPorts(view, engine)) {
            if (!published.contains(exposed)) {
                int slash = exposed.indexOf('/');
                ports.addObject()
                        .put("PrivatePort", Integer.parseInt(slash < 0 ? exposed : exposed.substring(0, slash)))
                        .put("Type", slash < 0 ? "tcp" : exposed.substring(slash + 1));
            }
        }
        return ports;
    }

    /** {@code NetworkSettings} with {@code Networks} alone, each as {@code docker inspect} shows it. */
    static ObjectNode settings(ContainerView view, List<ContainerEndpoint> endpoints, Engine engine) {
        ObjectNode full = NetworkSettingsDocument.of(
                engine.networks().networksOf(view.record()),
                endpoints,
                view.state().pid());
        ObjectNode settings = Json.object();
        settings.set("Networks", full.get("Networks"));
        return settings;
    }

    /** {@code --expose} and the image's {@code EXPOSE}: {@code 80/tcp}. */
    private static Set<String> exposedPorts(ContainerView view, Engine engine) {
        var exposed = new LinkedHashSet<>(
                view.record().specOrDefault().host().networking().exposedPorts());
        String imageId = view.record().imageId();
        if (imageId != null) {
            engine.images()
                    .find(imageId)
                    .map(image -> image.config().runConfig())
                    .filter(Objects::nonNull)
                    .map(run -> run.exposedPorts())
                    .filter(Objects::nonNull)
                    .ifPresent(map -> exposed.addAll(map.keySet()));
        }
        return exposed;
    }
}
