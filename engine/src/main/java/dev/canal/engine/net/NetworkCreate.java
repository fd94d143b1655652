package dev.canal.engine.net;

import java.util.Map;

/**
 * {@code docker network create}'s request.
 *
 * @param name     the network's name
 * @param driver   {@code bridge}, the only driver; null or empty for it
 * @param subnet   {@code --subnet}, IPv4 only; null for a free one from docker's default pools
 * @param gateway  {@code --gateway}; null for the subnet's first address
 * @param ipRange  {@code --ip-range}; null for the whole subnet
 * @param internal {@code --internal}
 * @param labels   {@code --label}
 */
public record NetworkCreate(
        String name,
        String driver,
        String subnet,
        String gateway,
        String ipRange,
        boolean internal,
        Map<String, String> labels) {

    public NetworkCreate {
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        subnet = blankToNull(subnet);
        gateway = blankToNull(gateway);
        ipRange = blankToNull(ipRange);
    }

    private static String blankToNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }
}
