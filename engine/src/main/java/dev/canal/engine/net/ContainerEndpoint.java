package dev.canal.engine.net;

import java.util.LinkedHashSet;
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
 * @param hostname      the container's host name, one more name in the embedded DNS; null in
 *                      endpoints recorded before it was kept
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
        String interfaceName,
        String hostname) {

    public ContainerEndpoint {
        interfaceName = interfaceName == null ? "eth0" : interfaceName;
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        ports = ports == null ? List.of() : List.copyOf(ports);
    }

    /** Docker's short id: the id's first 12 hex digits. */
    private static final int SHORT_ID = 12;

    /**
     * The names the embedded DNS server answers with this endpoint's address, docker's
     * {@code DNSNames} (moby daemon/container_operations.go buildEndpointDNSNames): the
     * container's name, its aliases on the network, its short id and its host name.
     */
    public List<String> dnsNames() {
        var names = new LinkedHashSet<String>();
        names.add(containerName);
        names.addAll(aliases);
        names.add(containerId.substring(0, Math.min(SHORT_ID, containerId.length())));
        if (hostname != null && !hostname.isEmpty()) {
            names.add(hostname);
        }
        return List.copyOf(names);
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
