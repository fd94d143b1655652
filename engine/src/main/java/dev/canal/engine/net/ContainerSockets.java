package dev.canal.engine.net;

import dev.canal.engine.dns.EmbeddedDns;
import dev.canal.runtime.net.Netlink;
import dev.canal.runtime.net.NetlinkSocket;
import dev.canal.runtime.net.NetworkNamespace;

/**
 * What {@link Networks#connect} opens inside a container's network namespace, all in one visit:
 * each visit is a new thread that setns(2)es there ({@link NetworkNamespace#call}), and a socket
 * stays in the namespace it was made in for its whole life (network_namespaces(7)). The rtnetlink
 * socket configures the container's interfaces; the embedded DNS server's sockets, on a user
 * network, are null otherwise.
 */
record ContainerSockets(NetlinkSocket route, EmbeddedDns.Sockets dns) {

    /** Opens them in {@code container}: the DNS server's sockets only if {@code withDns}. */
    static ContainerSockets open(NetworkNamespace container, boolean withDns) {
        return container.call(() -> {
            NetlinkSocket route = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
            try {
                return new ContainerSockets(route, withDns ? EmbeddedDns.bind() : null);
            } catch (RuntimeException e) {
                route.close();
                throw e;
            }
        });
    }
}
