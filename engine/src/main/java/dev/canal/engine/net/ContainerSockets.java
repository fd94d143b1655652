package dev.canal.engine.net;

import dev.canal.engine.dns.EmbeddedDns;
import dev.canal.runtime.net.Netlink;
import dev.canal.runtime.net.NetlinkSocket;
import dev.canal.runtime.net.NetworkNamespace;
import dev.canal.runtime.sys.ThrowawayThread;

/**
 * What {@link Networks#connect} and {@link Networks#connectContainer} open inside a container's
 * network namespace, all in one visit: each visit is a new thread that setns(2)es there
 * ({@link NetworkNamespace#start}), and a socket stays in the namespace it was made in for its
 * whole life (network_namespaces(7)). The rtnetlink socket configures the container's
 * interfaces; the embedded DNS server's sockets are opened on a user network only.
 *
 * <p>The visit starts at once and is joined when a socket is first needed: meanwhile the
 * caller creates the veth pair in the host namespace, so the new thread's start, which waits
 * for a CPU on a busy machine, overlaps the kernel's longest request. {@link #close} joins it
 * and closes what no one took.
 */
final class ContainerSockets implements AutoCloseable {

    private record Opened(NetlinkSocket route, EmbeddedDns.Sockets dns) {}

    private final ThrowawayThread.Started<Opened> visit;
    private boolean dnsTaken;

    private ContainerSockets(ThrowawayThread.Started<Opened> visit) {
        this.visit = visit;
    }

    /** Starts opening them in {@code container}: the DNS server's sockets only if {@code withDns}. */
    static ContainerSockets start(NetworkNamespace container, boolean withDns) {
        return new ContainerSockets(container.start(() -> {
            NetlinkSocket route = NetlinkSocket.open(Netlink.NETLINK_ROUTE);
            try {
                return new Opened(route, withDns ? EmbeddedDns.bind() : null);
            } catch (RuntimeException e) {
                route.close();
                throw e;
            }
        }));
    }

    /** The rtnetlink socket, once opened; it stays this object's. */
    NetlinkSocket route() {
        return visit.join().route();
    }

    /** The DNS server's sockets, once opened; they are the caller's from now on. */
    EmbeddedDns.Sockets takeDns() {
        EmbeddedDns.Sockets dns = visit.join().dns();
        dnsTaken = true;
        return dns;
    }

    /** Waits for the visit, then closes the rtnetlink socket, and the DNS sockets unless taken. */
    @Override
    public void close() {
        visit.release(opened -> {
            opened.route().close();
            if (opened.dns() != null && !dnsTaken) {
                opened.dns().close();
            }
        });
    }
}
