package dev.canal.runtime.net;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.net.Addresses.Assigned;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Bridge networks for containers, what the engine calls: create and remove a network, attach
 * a container's network namespace to it and detach it, and reconcile at start what a previous
 * run left. All of it happens in one network namespace, the daemon's ("the host"): its
 * bridges, the host ends of the veths, and Canal's nf_tables table.
 *
 * <p>Everything Canal makes is marked, so it is found again after a crash: bridges and veths
 * carry an alias ({@code canal network NAME}, {@code canal container ID on NAME}), rules a
 * comment with the same owner, and the table a comment of its own. Nothing unmarked is ever
 * changed or removed.
 *
 * <p>Not thread-safe: the engine serialises network changes.
 */
public final class BridgeNetworking implements AutoCloseable {

    /** One container on one network, as the engine knows it at start. */
    public record Attachment(BridgeNetwork network, Endpoint endpoint) {}

    private final NetworkNamespace host;
    private final NetlinkSocket route;
    private final NetlinkSocket netfilter;
    private final Firewall firewall;
    /** The interface index of each bridge by name, as last seen: {@link #createVeth} needs it. */
    private final Map<String, Integer> bridgeIndexes = new HashMap<>();

    private BridgeNetworking(NetworkNamespace host, NetlinkSocket route, NetlinkSocket netfilter) {
        this.host = host;
        this.route = route;
        this.netfilter = netfilter;
        this.firewall = new Firewall(netfilter);
    }

    /** Bridge networks in the calling thread's network namespace. */
    public static BridgeNetworking open() {
        return in(NetworkNamespace.current());
    }

    /** Bridge networks in {@code host}, which this object now owns and closes. */
    public static BridgeNetworking in(NetworkNamespace host) {
        NetlinkSocket route = host.openSocket(Netlink.NETLINK_ROUTE);
        try {
            return new BridgeNetworking(host, route, host.openSocket(Netlink.NETLINK_NETFILTER));
        } catch (RuntimeException e) {
            route.close();
            throw e;
        }
    }

    /** Canal's nf_tables table in the host namespace. */
    public Firewall firewall() {
        return firewall;
    }

    /** The rtnetlink socket of the host namespace, to read its links, addresses and routes. */
    public NetlinkSocket routeSocket() {
        return route;
    }

    /**
     * Creates {@code network}: its bridge, up, with the gateway addresses; IP forwarding on;
     * and its rules. Idempotent: what exists already (a bridge of this network, an address) is
     * kept, so the same call also repairs a network after a restart.
     *
     * @throws IllegalStateException if the bridge's name is taken by an interface Canal did not
     *     make for this network
     */
    public void createNetwork(BridgeNetwork network) {
        ensureBridge(network);
        firewall.add(NetworkRules.forNetwork(network));
    }

    /** The network's bridge with its gateway addresses, and forwarding on; what exists is kept. */
    private void ensureBridge(BridgeNetwork network) {
        Optional<Link> existing = Links.find(route, network.bridge());
        if (existing.isPresent() && !existing.get().alias().equals(network.alias())) {
            throw new IllegalStateException("network " + network.name() + ": interface " + network.bridge()
                    + " exists and is not this network's bridge (alias \""
                    + existing.get().alias() + "\")");
        }
        if (existing.isEmpty()) {
            Links.createBridge(route, network.bridge(), network.mtu(), network.alias());
        }
        int index = Links.get(route, network.bridge()).index();
        bridgeIndexes.put(network.bridge(), index);
        List<Assigned> assigned = Addresses.list(route);
        for (IpPrefix gateway : network.gateways()) {
            if (!assigned.contains(new Assigned(index, gateway))) {
                Addresses.add(route, index, gateway);
            }
        }
        enableForwarding(network);
    }

    /** Removes {@code network}'s rules and its bridge, with the bridge's addresses and routes. */
    public void removeNetwork(BridgeNetwork network) {
        firewall.removeIf(NetworkRules.ofNetwork(network.name()));
        bridgeIndexes.remove(network.bridge());
        deleteIfMarked(route, network.bridge(), network.alias());
    }

    /**
     * Attaches the network namespace {@code container} to {@code network}: a veth pair whose
     * host end is on the bridge and whose other end is born in the container as
     * {@code endpoint.interfaceName()}, the endpoint's addresses there, default routes through
     * the gateways when asked, and DNAT rules for its published ports. On failure, what was
     * made is removed again.
     */
    public void attach(BridgeNetwork network, Endpoint endpoint, NetworkNamespace container) {
        // The thread that opens the socket inside starts first and is joined once the veth pair
        // exists: its start, which waits for a CPU on a busy machine, overlaps the creation.
        var opening = container.start(() -> NetlinkSocket.open(Netlink.NETLINK_ROUTE));
        try {
            attach(network, endpoint, container, opening::join);
        } finally {
            opening.release(NetlinkSocket::close);
        }
    }

    /**
     * {@link #attach(BridgeNetwork, Endpoint, NetworkNamespace)} through the socket {@code inside}
     * gives, an rtnetlink socket that a thread inside {@code container} opened
     * ({@link NetlinkSocket#open} in {@link NetworkNamespace#start}), which stays the caller's.
     * It is asked for once the veth pair exists, so the caller may open it meanwhile, with
     * whatever else it opens there in the same visit.
     */
    public void attach(
            BridgeNetwork network, Endpoint endpoint, NetworkNamespace container, Supplier<NetlinkSocket> inside) {
        checkAddresses(network, endpoint);
        String hostEnd = endpoint.hostInterface(network);
        int peerIndex = createVeth(network, endpoint, container);
        try {
            Links.setAlias(route, hostEnd, endpoint.alias(network));
            configureInside(network, endpoint, inside.get(), peerIndex);
            if (!endpoint.ports().isEmpty()) {
                firewall.add(NetworkRules.forPorts(network, endpoint));
            }
        } catch (RuntimeException e) {
            try {
                detach(network, endpoint.containerId());
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    /**
     * The veth pair of {@link #attach}, its host end on the network's bridge. The bridge's index
     * is the one last seen, if any, which spares a request per container. It cannot name another
     * interface: the kernel hands out a namespace's indexes in turn and reuses none before they
     * wrap at 2^31 (dev_index_reserve in net/core/dev.c). So if the bridge was deleted behind
     * Canal's back the kernel refuses the stale index, and the bridge is looked up again, once.
     */
    private int createVeth(BridgeNetwork network, Endpoint endpoint, NetworkNamespace container) {
        Integer known = bridgeIndexes.get(network.bridge());
        if (known != null) {
            try {
                return createVeth(network, endpoint, container, known);
            } catch (NetlinkException stale) {
                bridgeIndexes.remove(network.bridge());
            }
        }
        int index = Links.get(route, network.bridge()).index();
        int peerIndex = createVeth(network, endpoint, container, index);
        bridgeIndexes.put(network.bridge(), index);
        return peerIndex;
    }

    private int createVeth(BridgeNetwork network, Endpoint endpoint, NetworkNamespace container, int bridgeIndex) {
        return Links.createVeth(
                route,
                endpoint.hostInterface(network),
                bridgeIndex,
                endpoint.interfaceName(),
                container,
                macAddress(endpoint),
                network.mtu());
    }

    /**
     * The container's end, through {@code inside}, a socket of its namespace: up, its addresses
     * and default routes, sent together in one datagram ({@link NetlinkRequests}); a failure
     * leaves nothing that deleting the veth does not take along. {@code index} is the end's
     * interface index, 0 when {@link Links#createVeth} could not tell.
     */
    private static void configureInside(BridgeNetwork network, Endpoint endpoint, NetlinkSocket inside, int index) {
        int peer =
                index != 0 ? index : Links.get(inside, endpoint.interfaceName()).index();
        try (var requests = new NetlinkRequests(inside)) {
            Links.setUp(requests, endpoint.interfaceName(), true);
            for (IpPrefix address : endpoint.addresses()) {
                Addresses.add(requests, peer, address);
            }
            if (endpoint.defaultRoute()) {
                for (IpPrefix gateway : network.gateways()) {
                    IpPrefix any = new IpPrefix(gateway.network().address(), 0).network();
                    Routes.add(requests, any, gateway.address(), peer);
                }
            }
            requests.send();
        }
    }

    /**
     * Detaches container {@code containerId} from {@code network}: its port rules and its
     * veth pair (deleting the host end deletes the container's end too).
     */
    public void detach(BridgeNetwork network, String containerId) {
        removePortRules(network, containerId);
        deleteVeth(route, network, containerId);
    }

    /** The first half of {@link #detach}: container {@code containerId}'s port rules on {@code network}. */
    public void removePortRules(BridgeNetwork network, String containerId) {
        firewall.removeIf(NetworkRules.ofContainer(containerId, network.name()));
    }

    /**
     * The second half of {@link #detach}: container {@code containerId}'s veth pair on {@code
     * network}, if it is still there, through {@code route}, an rtnetlink socket of the host
     * namespace ({@link #openRouteSocket}). Static so that another thread, with a socket of its
     * own, can wait for the kernel's slow unregistering while this object goes on.
     */
    public static void deleteVeth(NetlinkSocket route, BridgeNetwork network, String containerId) {
        deleteIfMarked(
                route,
                NetworkRules.hostInterface(containerId, network.name()),
                NetworkRules.CONTAINER + containerId + " on " + network.name());
    }

    /** A new rtnetlink socket of the host namespace, for {@link #deleteVeth} from another thread. */
    public NetlinkSocket openRouteSocket() {
        return host.openSocket(Netlink.NETLINK_ROUTE);
    }

    /**
     * At start: makes the host namespace hold exactly {@code networks} and the host ends of
     * {@code attachments}, as far as Canal's marks tell. Bridges and veths Canal marked that
     * belong to no listed network or attachment are deleted; listed networks are created or
     * repaired; the firewall then holds exactly the rules of the networks and of the
     * attachments' ports. An attachment whose veth is gone (its container died while no one
     * watched) is not recreated: that needs the container's namespace, the engine's call.
     */
    public void reconcile(Collection<BridgeNetwork> networks, Collection<Attachment> attachments) {
        Set<String> wanted = new HashSet<>();
        networks.forEach(network -> wanted.add(network.bridge() + "\0" + network.alias()));
        attachments.forEach(a -> wanted.add(
                a.endpoint().hostInterface(a.network()) + "\0" + a.endpoint().alias(a.network())));
        for (Link link : canalLinksContainersFirst()) {
            if (!wanted.contains(link.name() + "\0" + link.alias())) {
                deleteIfMarked(route, link.name(), link.alias());
            }
        }
        var rules = new ArrayList<FirewallRule>();
        for (BridgeNetwork network : networks) {
            ensureBridge(network);
            rules.addAll(NetworkRules.forNetwork(network));
        }
        for (Attachment attachment : attachments) {
            rules.addAll(NetworkRules.forPorts(attachment.network(), attachment.endpoint()));
        }
        firewall.reconcile(rules);
    }

    /** Removes everything Canal made here: its table, the host ends of veths, then bridges. */
    public void removeAll() {
        firewall.delete();
        for (Link link : canalLinksContainersFirst()) {
            deleteIfMarked(route, link.name(), link.alias());
        }
    }

    /** Links whose alias marks them as Canal's, the containers' veths before the bridges. */
    private List<Link> canalLinksContainersFirst() {
        var links = new ArrayList<Link>();
        var all = Links.list(route);
        all.stream().filter(l -> l.alias().startsWith(NetworkRules.CONTAINER)).forEach(links::add);
        all.stream().filter(l -> l.alias().startsWith(NetworkRules.NETWORK)).forEach(links::add);
        return links;
    }

    /** Deletes interface {@code name} if it exists and carries {@code alias}; others are left alone. */
    private static void deleteIfMarked(NetlinkSocket route, String name, String alias) {
        Optional<Link> link = Links.find(route, name);
        if (link.isPresent() && link.get().alias().equals(alias)) {
            try {
                Links.delete(route, name);
            } catch (NetlinkException e) {
                if (e.errno() != linux_h.ENODEV()) {
                    throw e; // ENODEV: its veth peer's namespace died in between, and took it along
                }
            }
        }
    }

    /**
     * Routing between the bridge and other interfaces needs forwarding on, as Docker sets it
     * (net.ipv4.ip_forward, net.ipv6.conf.all.forwarding). The /proc/sys/net files are those of
     * the network namespace of the thread that opens them, so the host namespace's thread
     * writes them.
     */
    private void enableForwarding(BridgeNetwork network) {
        host.call(() -> {
            for (IpPrefix gateway : network.gateways()) {
                String file =
                        gateway.isIpv6() ? "/proc/sys/net/ipv6/conf/all/forwarding" : "/proc/sys/net/ipv4/ip_forward";
                writeSysctl(file);
            }
            return null;
        });
    }

    private static void writeSysctl(String file) {
        try {
            if (!Files.readString(Path.of(file)).trim().equals("1")) {
                Files.writeString(Path.of(file), "1");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("enable forwarding: " + file, e);
        }
    }

    /** Each endpoint address must lie in the network's subnet of its family. */
    private static void checkAddresses(BridgeNetwork network, Endpoint endpoint) {
        for (IpPrefix address : endpoint.addresses()) {
            boolean inSubnet = network.subnets().stream()
                    .anyMatch(subnet -> subnet.length() == address.length() && subnet.contains(address.address()));
            if (!inSubnet) {
                throw new IllegalArgumentException("container " + endpoint.containerId() + ": address " + address
                        + " is not in a subnet of network " + network.name() + " " + network.subnets());
            }
        }
    }

    /** Docker's MAC for a container: 02:42 and the four bytes of its IPv4 address; random without one. */
    private static byte[] macAddress(Endpoint endpoint) {
        return endpoint.addresses().stream()
                .map(IpPrefix::address)
                .filter(Inet4Address.class::isInstance)
                .map(InetAddress::getAddress)
                .findFirst()
                .map(ip -> new byte[] {0x02, 0x42, ip[0], ip[1], ip[2], ip[3]})
                .orElse(null);
    }

    @Override
    public void close() {
        try (host;
                route;
                netfilter) {
            // closes all three, in reverse order
        }
    }
}
