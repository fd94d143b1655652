package dev.canal.engine.net;

import java.util.List;

/**
 * A running container's place on a network, as the engine records it under the data root
 * ({@code networks/endpoints/CONTAINER.json}) from the moment its address is taken until its
 * veth, rules and address are released: what {@code docker inspect} and {@code docker network
 * inspect} show, and what a restarted daemon reconciles from.
 *
 * @param containerId   the container's id
 * @param containerName its name, for /etc/hosts and {@code network inspect}
 * @param networkId     the network's id
 * @param networkName   the network's name
 * @param endpointId    64 hex digits, docker's EndpointID
 * @param address       the container's address with the subnet's length, {@code 172.18.0.2/16}
 * @param gateway       the network's gateway, the container's default route
 * @param macAddress    docker's MAC: 02:42 and the address's four bytes
 * @param aliases       more names on the network
 * @param ports         the published ports, host ports chosen
 * @param interfaceName its interface in the container: {@code eth0} on the network it runs on,
 *                      {@code eth1} and on for those {@code docker network connect} adds
 */
public record ContainerEndpoint(
        String containerId,
        String containerName,
        String networkId,
        String networkName,
        String endpointId,
        String address,
        String gateway,
        String macAddress,
        List<String> aliases,
        List<PublishedPort> ports,
        String interfaceName) {

    public ContainerEndpoint {
        interfaceName = interfaceName == null ? "eth0" : interfaceName;
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** The address without its prefix length. */
    public String ipAddress() {
        return address.substring(0, address.indexOf('/'));
    }

    /** The subnet's prefix length. */
    public int prefixLength() {
        return Integer.parseInt(address.substring(address.indexOf('/') + 1));
    }
}
