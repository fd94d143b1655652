package dev.canal.engine.net;

import dev.canal.runtime.net.BridgeNetwork;
import dev.canal.runtime.net.IpPrefix;
import java.util.List;
import java.util.Map;

/**
 * A network as the engine keeps it under the data root ({@code networks/ID.json}): docker's
 * network object. Bridge networks have a Linux bridge, a subnet and a gateway; the two
 * pre-defined ones without a bridge, {@code host} and {@code none}, have neither.
 *
 * @param id       64 hex digits, as docker's network ids
 * @param name     unique among networks
 * @param driver   {@code bridge}, {@code host} or {@code null} (docker's driver of {@code none})
 * @param bridge   the bridge interface ({@code canal0}, {@code br-} and 12 hex digits of the id); null without one
 * @param subnet   the IPv4 subnet, {@code 172.18.0.0/16}; null without a bridge
 * @param gateway  the bridge's address in the subnet, {@code 172.18.0.1}; null without a bridge
 * @param ipRange  docker's {@code --ip-range}: the part of the subnet addresses are picked from; null for all of it
 * @param internal docker's {@code --internal}: no masquerade, nothing in or out of the bridge
 * @param labels   docker's {@code --label}
 * @param created  RFC 3339 time of creation
 * @param subnetFromPool whether the daemon chose the subnet from its address pools (no
 *                 {@code --subnet}): docker then refuses {@code --ip}, as such a subnet is not
 *                 the user's to count on; false in records written before it was kept
 */
public record NetworkRecord(
        String id,
        String name,
        String driver,
        String bridge,
        String subnet,
        String gateway,
        String ipRange,
        boolean internal,
        Map<String, String> labels,
        String created,
        boolean subnetFromPool) {

    /** The default network's name: docker's {@code bridge}. */
    public static final String DEFAULT_BRIDGE = "bridge";

    public NetworkRecord {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
    }

    /** Whether containers on it get a veth on a bridge (the {@code bridge} driver). */
    public boolean hasBridge() {
        return bridge != null;
    }

    /** Whether docker refuses to remove it: {@code bridge}, {@code host} and {@code none}. */
    public boolean predefined() {
        return name.equals(DEFAULT_BRIDGE) || !hasBridge();
    }

    /** The subnet as a prefix. */
    public IpPrefix subnetPrefix() {
        return IpPrefix.parse("subnet", subnet);
    }

    /** The gateway with the subnet's prefix length, as the bridge holds it: {@code 172.18.0.1/16}. */
    public IpPrefix gatewayPrefix() {
        return new IpPrefix(IpPrefix.literal("gateway", gateway), subnetPrefix().length());
    }

    /** The range addresses are picked from: the ip-range, or the whole subnet. */
    public IpPrefix allocationRange() {
        return ipRange == null ? subnetPrefix() : IpPrefix.parse("ip-range", ipRange);
    }

    /** The runtime's view of it, for {@link dev.canal.runtime.net.BridgeNetworking}. */
    public BridgeNetwork bridgeNetwork() {
        return new BridgeNetwork(name, bridge, List.of(gatewayPrefix()), 0, internal);
    }
}
