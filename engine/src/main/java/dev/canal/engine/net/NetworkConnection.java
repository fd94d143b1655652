package dev.canal.engine.net;

import java.util.List;

/**
 * A network {@code docker network connect} added to a container, beside the one it was created
 * on: kept while the container exists, joined at each start.
 *
 * @param networkId   the network's id
 * @param ipv4Address a fixed address on it; null for one the engine picks
 * @param aliases     more names for the container on it
 */
public record NetworkConnection(String networkId, String ipv4Address, List<String> aliases) {

    public NetworkConnection {
        ipv4Address = ipv4Address == null || ipv4Address.isEmpty() ? null : ipv4Address;
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
    }
}
