package dev.canal.engine.net;

import dev.canal.engine.dns.NameDirectory;
import dev.canal.runtime.net.IpPrefix;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The names the embedded DNS server answers, read from the endpoints the engine records: a
 * container is known on each network it has an endpoint on, by its name, its
 * {@code --network-alias}es on that network and its short id (docker's
 * buildEndpointDNSNames), also followed by the network's name ({@code web.front}), and only to
 * the containers with an endpoint on the same network. As
 * the endpoints are read at each query, a container that stops or leaves a network is no longer
 * an answer from that moment.
 */
final class NetworkNameDirectory implements NameDirectory {

    private static final int SHORT_ID = 12;

    private final NetworkStore store;
    private final Object lock;

    /** Over {@code store}, read while holding {@code lock}, the lock its writers hold. */
    NetworkNameDirectory(NetworkStore store, Object lock) {
        this.store = store;
        this.lock = lock;
    }

    /**
     * As moby's Sandbox.ResolveName: {@code a.b.c} is tried as a name on any network of the
     * asking container, then as {@code a.b} on network {@code c}, then {@code a} on {@code b.c}
     * (names and network names may hold dots).
     */
    @Override
    public Optional<List<InetAddress>> addressesOf(String asking, String name) {
        List<ContainerEndpoint> neighbours = neighbours(asking);
        for (int end = name.length(); end > 0; end = name.lastIndexOf('.', end - 1)) {
            String host = name.substring(0, end);
            String network = end == name.length() ? null : name.substring(end + 1);
            List<InetAddress> addresses = neighbours.stream()
                    .filter(endpoint ->
                            network == null || endpoint.networkName().equalsIgnoreCase(network))
                    .filter(endpoint -> names(endpoint).contains(host))
                    .map(endpoint -> IpPrefix.literal("address", endpoint.ipAddress()))
                    .toList();
            if (!addresses.isEmpty()) {
                return Optional.of(addresses);
            }
        }
        return Optional.empty();
    }

    /** docker's PTR answer: the container's name and its network's, {@code web.front}. */
    @Override
    public Optional<String> nameOf(String asking, InetAddress address) {
        return neighbours(asking).stream()
                .filter(endpoint ->
                        IpPrefix.literal("address", endpoint.ipAddress()).equals(address))
                .map(endpoint -> endpoint.containerName() + "." + endpoint.networkName())
                .findFirst();
    }

    /** The endpoints, its own included, on the networks container {@code asking} has an endpoint on. */
    private List<ContainerEndpoint> neighbours(String asking) {
        synchronized (lock) {
            Set<String> networks = store.endpoints(asking).stream()
                    .map(ContainerEndpoint::networkId)
                    .collect(Collectors.toSet());
            if (networks.isEmpty()) {
                return List.of();
            }
            return store.allEndpoints().stream()
                    .filter(endpoint -> networks.contains(endpoint.networkId()))
                    .toList();
        }
    }

    /** The names an endpoint answers to, lower case: DNS names compare without regard to case. */
    private static Set<String> names(ContainerEndpoint endpoint) {
        var names = new ArrayList<String>();
        names.add(endpoint.containerName());
        names.addAll(endpoint.aliases());
        names.add(endpoint.containerId()
                .substring(0, Math.min(SHORT_ID, endpoint.containerId().length())));
        return names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    }
}
