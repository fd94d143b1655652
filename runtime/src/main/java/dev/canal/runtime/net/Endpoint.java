package dev.canal.runtime.net;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A container's place on a bridge network: the interface it sees, its addresses, whether its
 * default routes go through this network's gateways, and its published ports.
 *
 * @param containerId   the container's id (at most 64 characters, docker's full id), carried by
 *                      Canal's rules and link aliases
 * @param interfaceName the name inside the container, {@code eth0}
 * @param addresses     one address per family of the network, with the subnet's prefix length
 * @param defaultRoute  whether the container's default routes go through this network (docker:
 *                      the first network a container joins)
 * @param ports         ports published to this container through this network
 */
public record Endpoint(
        String containerId,
        String interfaceName,
        List<IpPrefix> addresses,
        boolean defaultRoute,
        List<PortMapping> ports) {

    private static final Pattern ID = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}");

    public Endpoint {
        if (!ID.matcher(containerId).matches()) {
            throw new IllegalArgumentException(
                    "container id: \"" + containerId + "\" must be 1 to 64 letters, digits, '_', '.' and '-'");
        }
        Links.checkName("container interface name", interfaceName);
        addresses = List.copyOf(addresses);
        ports = List.copyOf(ports);
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("container " + containerId + ": needs an address on the network");
        }
    }

    /** The host end of the container's veth on {@code network}: named from both, so found again after a restart. */
    String hostInterface(BridgeNetwork network) {
        return NetworkRules.hostInterface(containerId, network.name());
    }

    /** What marks the host end of the veth as Canal's (its IFLA_IFALIAS). */
    String alias(BridgeNetwork network) {
        return NetworkRules.CONTAINER + containerId + " on " + network.name();
    }
}
