package dev.canal.engine.net;

import dev.canal.runtime.net.IpPrefix;

/**
 * The default {@code bridge} network as the daemon's options define it, dockerd's
 * {@code --bridge} and {@code --bip}.
 *
 * @param bridge the bridge interface, {@code canal0}; null for no default network
 *               ({@code --bridge none}: a container without {@code --network} gets {@code none})
 * @param bip    the bridge's address with the subnet's length, {@code 172.17.0.1/16}
 */
public record BridgeDefaults(String bridge, IpPrefix bip) {

    /** dockerd's default subnet for docker0, kept for canal0. */
    public static final String DEFAULT_BIP = "172.17.0.1/16";

    /** Canal's name for docker0. */
    public static final String DEFAULT_BRIDGE = "canal0";

    /** No default network: what an engine gets unless its owner asks for one. */
    public static final BridgeDefaults NONE = new BridgeDefaults(null, IpPrefix.parse("--bip", DEFAULT_BIP));

    public BridgeDefaults {
        if (bip.isIpv6()) {
            throw new IllegalArgumentException("--bip " + bip + ": must be an IPv4 address with its prefix length");
        }
        if (bip.length() > 30 || bip.address().equals(bip.network().address())) {
            throw new IllegalArgumentException(
                    "--bip " + bip + ": must be the bridge's own address in a subnet of at least 4 addresses");
        }
    }

    /** Whether there is a default network. */
    public boolean enabled() {
        return bridge != null;
    }
}
