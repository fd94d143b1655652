package dev.canal.engine.net;

import dev.canal.runtime.net.IpPrefix;
import dev.canal.runtime.net.PortMapping;

/**
 * A port published for a running container, its host port chosen: what {@code docker port}
 * shows and what the DNAT rule and the loopback proxy serve.
 *
 * @param protocol      {@code tcp} or {@code udp}
 * @param hostIp        the host address; empty for every address
 * @param hostPort      the host's port
 * @param containerPort the container's port
 */
public record PublishedPort(String protocol, String hostIp, int hostPort, int containerPort) {

    /** The rule's view of it, for {@link dev.canal.runtime.net.BridgeNetworking#attach}. */
    public PortMapping mapping() {
        return new PortMapping(
                protocol, hostIp.isEmpty() ? null : IpPrefix.literal("host address", hostIp), hostPort, containerPort);
    }

    /** docker's key for the container's side: {@code 80/tcp}. */
    public String key() {
        return containerPort + "/" + protocol;
    }
}
