package dev.canal.engine.dns;

import dev.canal.runtime.net.NetworkNamespace;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * docker's embedded DNS server for containers on user-defined networks (moby libnetwork
 * resolver.go): in each such container, 127.0.0.11 port 53 over UDP and TCP answers the names
 * of the containers on its networks from a {@link NameDirectory} and forwards the rest to the
 * host's name servers, from the daemon's namespace. The container's resolv.conf names
 * 127.0.0.11 with {@code ndots:0}. docker listens on a random port and DNATs 53 to it with
 * iptables; Canal listens on 53 itself, which a socket made inside the namespace can.
 */
public final class EmbeddedDns implements AutoCloseable {

    /** Where the server listens in each container: docker's 127.0.0.11:53. */
    public static final InetSocketAddress ADDRESS = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.11"), 53);

    private final NameDirectory directory;
    private final Map<String, ContainerNameServer> servers = new ConcurrentHashMap<>();

    public EmbeddedDns(NameDirectory directory) {
        this.directory = directory;
    }

    /**
     * Starts the server of container {@code containerId} in its network namespace
     * {@code container} (held before exec, so it listens before the program's first query),
     * forwarding other names to {@code upstream}: none for a container on internal networks
     * only, which gets SERVFAIL for them.
     */
    public void start(String containerId, NetworkNamespace container, List<InetSocketAddress> upstream) {
        stop(containerId);
        var handler = new QueryHandler(containerId, directory, new UpstreamResolvers(upstream));
        servers.put(containerId, ContainerNameServer.open(container, ADDRESS, handler));
    }

    /** Whether container {@code containerId} has a server now. */
    public boolean serves(String containerId) {
        return servers.containsKey(containerId);
    }

    /** Stops the server of container {@code containerId}, if it has one. */
    public void stop(String containerId) {
        ContainerNameServer server = servers.remove(containerId);
        if (server != null) {
            server.close();
        }
    }

    @Override
    public void close() {
        servers.keySet().forEach(this::stop);
    }
}
