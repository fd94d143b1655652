package dev.canal.runtime.net;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A bridge network as the engine defines it (docker's {@code bridge} driver): a Linux bridge
 * that holds the gateway addresses, and the rules that let its containers out (masquerade)
 * and keep them from other networks.
 *
 * @param name     the network's name, which Canal's rules and link aliases carry
 * @param bridge   the bridge interface, {@code canal0} for the default network
 * @param gateways the bridge's addresses with their subnets' prefix lengths, one per family:
 *                 {@code 172.18.0.1/16}, and {@code fd00:1::1/64} for IPv6
 * @param mtu      the MTU of the bridge and of the veths on it; 0 for the kernel's default
 * @param internal docker's {@code --internal}: no traffic in or out of the network, only
 *                 between its containers
 */
public record BridgeNetwork(String name, String bridge, List<IpPrefix> gateways, int mtu, boolean internal) {

    /** Docker's rule for network names; Canal puts them in rule comments and link aliases. */
    private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}");

    public BridgeNetwork {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("network name: \"" + name
                    + "\" must be 1 to 128 letters, digits, '_', '.' and '-', starting with a letter or digit");
        }
        Links.checkName("bridge name", bridge);
        gateways = List.copyOf(gateways);
        if (gateways.isEmpty()
                || gateways.stream().map(IpPrefix::isIpv6).distinct().count() != gateways.size()) {
            throw new IllegalArgumentException(
                    "network " + name + ": needs one gateway address per family (IPv4, IPv6), got " + gateways);
        }
        if (mtu < 0) {
            throw new IllegalArgumentException("network " + name + ": mtu must not be negative, got " + mtu);
        }
    }

    /** The subnets: each gateway's network. */
    public List<IpPrefix> subnets() {
        return gateways.stream().map(IpPrefix::network).toList();
    }

    /** What marks the bridge as Canal's (its IFLA_IFALIAS). */
    String alias() {
        return NetworkRules.NETWORK + name;
    }
}
