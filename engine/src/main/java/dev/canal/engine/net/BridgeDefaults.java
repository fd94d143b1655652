package dev.canal.engine.net;

import dev.canal.runtime.net.IpPrefix;

/**
 * The default {@code bridge} network as the daemon's options define it, dockerd's
 * {@code --bridge} and {@code --bip}, and where networks created without {@code --subnet} get
 * theirs, its {@code --default-address-pool}.
 *
 * @param bridge the bridge interface, {@code canal0}; null for no default network
 *               ({@code --bridge none}: a container without {@code --network} gets {@code none})
 * @param bip    the bridge's address with the subnet's length, {@code 172.17.0.1/16}
 * @param pools  the subnets of networks created without {@code --subnet}
 */
public record BridgeDefaults(String bridge, IpPrefix bip, AddressPools pools) {

    /** Canal's name for docker0. */
    public static final String DEFAULT_BRIDGE = "canal0";

    /** No default network: what an engine gets unless its owner asks for one. */
    public static final BridgeDefaults NONE = new BridgeDefaults(null, AddressPools.DOCKER.firstGateway());

    public BridgeDefaults {
        if (bip.isIpv6()) {
            throw new IllegalArgumentException("--bip " + bip + ": must be an IPv4 address with its prefix length");
        }
        if (bip.length() > 30 || bip.address().equals(bip.network().address())) {
            throw new IllegalArgumentException(
                    "--bip " + bip + ": must be the bridge's own address in a subnet of at least 4 addresses");
        }
    }

    /** {@code bridge} on {@code bip}, other networks' subnets from dockerd's default pools. */
    public BridgeDefaults(String bridge, IpPrefix bip) {
        this(bridge, bip, AddressPools.DOCKER);
    }

    /** Whether there is a default network. */
    public boolean enabled() {
        return bridge != null;
    }
}
