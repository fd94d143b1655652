package dev.canal.engine.dns;

import dev.canal.runtime.net.NetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
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
        start(containerId, container.call(EmbeddedDns::bind), upstream);
    }

    /**
     * {@link #start(String, NetworkNamespace, List)} on {@code sockets}, which a thread inside the
     * container's namespace bound ({@link #bind}); this object owns them now.
     */
    public void start(String containerId, Sockets sockets, List<InetSocketAddress> upstream) {
        stop(containerId);
        var handler = new QueryHandler(containerId, directory, new UpstreamResolvers(upstream));
        servers.put(containerId, ContainerNameServer.serve(sockets, handler));
    }

    /** A server's sockets in one container, bound to {@link #ADDRESS} and not yet served. */
    public record Sockets(DatagramChannel udp, ServerSocketChannel tcp) implements AutoCloseable {

        @Override
        public void close() {
            ContainerNameServer.closeQuietly(udp);
            ContainerNameServer.closeQuietly(tcp);
        }
    }

    /**
     * Binds {@link #ADDRESS} over UDP and TCP in the calling thread's network namespace: called by
     * a thread that has entered the container's ({@link NetworkNamespace#call}), whose sockets
     * stay there for their whole life, whichever thread serves them.
     */
    public static Sockets bind() {
        DatagramChannel udp = null;
        try {
            udp = DatagramChannel.open().bind(ADDRESS);
            return new Sockets(udp, ServerSocketChannel.open().bind(ADDRESS));
        } catch (IOException e) {
            ContainerNameServer.closeQuietly(udp);
            throw new UncheckedIOException("listen on " + ADDRESS + " for DNS", e);
        }
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
