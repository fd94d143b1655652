package dev.canal.runtime.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.ScratchNetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bridge networks end to end, with real packets, all inside namespaces of the test's own: a
 * "host" namespace holds the bridges, Canal's table and an uplink to an "outside" namespace
 * that has no route to any container subnet; "containers" are namespaces made inside the host.
 * Every address used exists only in these namespaces.
 */
@RequiresRoot
class BridgeNetworkingTest {

    /** How long a connection may take before it counts as dropped; nothing here is timed. */
    private static final int DROPPED_AFTER_MS = 1500;

    private final BridgeNetwork front = FirewallTest.network("front", "canal-a", "10.201.0.1/24");
    private final BridgeNetwork back = FirewallTest.network("back", "canal-b", "10.202.0.1/24");
    private final InetAddress uplink = IpPrefix.literal("uplink", "10.203.0.1");

    private NetworkNamespace host;
    private NetworkNamespace outside;
    private NetworkNamespace c1;
    private NetworkNamespace c2;
    private NetworkNamespace c3;
    private BridgeNetworking networking;

    @BeforeEach
    void namespaces() {
        host = ScratchNetworkNamespace.create();
        outside = ScratchNetworkNamespace.createInside(host);
        c1 = ScratchNetworkNamespace.createInside(host);
        c2 = ScratchNetworkNamespace.createInside(host);
        c3 = ScratchNetworkNamespace.createInside(host);
        networking = BridgeNetworking.in(host.call(NetworkNamespace::current));
        // The outside world: a plain veth, 10.203.0.1 on the host and 10.203.0.2 outside.
        var socket = networking.routeSocket();
        Links.createVeth(socket, "uplink", 0, "eth0", outside, null, 0);
        Addresses.add(socket, Links.get(socket, "uplink").index(), new IpPrefix(uplink, 24));
        try (var inOutside = outside.openSocket(Netlink.NETLINK_ROUTE)) {
            Links.setUp(inOutside, "eth0", true);
            Addresses.add(inOutside, Links.get(inOutside, "eth0").index(), IpPrefix.parse("outside", "10.203.0.2/24"));
        }
    }

    @AfterEach
    void close() {
        networking.close();
        for (var namespace : List.of(c3, c2, c1, outside, host)) {
            namespace.close();
        }
    }

    @Test
    void containersOnOneBridgeTalkAndReachTheOutsideMasqueraded() throws Exception {
        networking.createNetwork(front);
        networking.attach(front, endpoint("c1", "10.201.0.2/24"), c1);
        networking.attach(front, endpoint("c2", "10.201.0.3/24"), c2);

        try (var server = listen(c2, "0.0.0.0", 7000)) {
            assertEquals(IpPrefix.literal("c1", "10.201.0.2"), connect(c1, "10.201.0.3", 7000, server));
        }
        try (var server = listen(outside, "0.0.0.0", 7001)) {
            // The outside has no route back to 10.201.0.0/24: only masquerade makes this work,
            // and the outside sees the host's uplink address as the source.
            assertEquals(uplink, connect(c1, "10.203.0.2", 7001, server));
        }
        assertEquals("1", host.call(() -> sysctl("/proc/sys/net/ipv4/ip_forward")), "forwarding on in the host");
        // /proc/sys/net is the namespace of the thread that opens it: the bridge is seen only there.
        assertEquals("1", host.call(() -> sysctl("/proc/sys/net/ipv4/conf/canal-a/forwarding")));
        assertFalse(outside.call(() -> Files.exists(Path.of("/proc/sys/net/ipv4/conf/canal-a"))));
    }

    @Test
    void aContainerJoinsABridgeReplacedBehindCanalsBack() throws Exception {
        networking.createNetwork(front);
        networking.attach(front, endpoint("c1", "10.201.0.2/24"), c1);
        networking.detach(front, "c1");
        // Someone deletes the bridge and makes it again: same name and alias, a new index.
        var socket = networking.routeSocket();
        int before = Links.get(socket, "canal-a").index();
        Links.delete(socket, "canal-a");
        Links.createBridge(socket, "canal-a", 0, front.alias());
        Addresses.add(
                socket, Links.get(socket, "canal-a").index(), front.gateways().getFirst());

        networking.attach(front, endpoint("c2", "10.201.0.3/24"), c2);
        networking.attach(front, endpoint("c3", "10.201.0.4/24"), c3);

        int after = Links.get(socket, "canal-a").index();
        assertNotEquals(before, after);
        for (String container : List.of("c2", "c3")) {
            assertEquals(
                    after,
                    Links.get(socket, NetworkRules.hostInterface(container, "front"))
                            .master());
        }
        try (var server = listen(c3, "0.0.0.0", 7000)) {
            assertEquals(IpPrefix.literal("c2", "10.201.0.3"), connect(c2, "10.201.0.4", 7000, server));
        }
    }

    @Test
    void aDualStackNetworkCarriesIpv6BetweenContainersAndPublishesOnBothFamilies() throws Exception {
        var dual = new BridgeNetwork(
                "dual",
                "canal-d",
                List.of(IpPrefix.parse("gateway", "10.205.0.1/24"), IpPrefix.parse("gateway", "fd00:205::1/64")),
                0,
                false);
        networking.createNetwork(dual);
        var published = new Endpoint(
                "c2",
                "eth0",
                List.of(IpPrefix.parse("address", "10.205.0.3/24"), IpPrefix.parse("address", "fd00:205::3/64")),
                true,
                List.of(new PortMapping("tcp", null, 8080, 80)));
        networking.attach(
                dual,
                new Endpoint(
                        "c1",
                        "eth0",
                        List.of(
                                IpPrefix.parse("address", "10.205.0.2/24"),
                                IpPrefix.parse("address", "fd00:205::2/64")),
                        true,
                        List.of()),
                c1);
        networking.attach(dual, published, c2);

        try (var server = listen(c2, "::", 7000)) {
            assertEquals(IpPrefix.literal("c1", "fd00:205::2"), connect(c1, "fd00:205::3", 7000, server));
        }
        try (var server = listen(c2, "::", 80)) {
            // From the host to its own IPv6 address on the bridge: output's DNAT, family ip6.
            connect(host, "fd00:205::1", 8080, server);
        }
        var comments = networking.firewall().rules().stream()
                .map(Firewall.InstalledRule::comment)
                .toList();
        assertTrue(
                comments.contains(
                        "canal network dual: masquerade fd00:205:0:0:0:0:0:0/64 leaving by other than canal-d"),
                comments.toString());
        assertTrue(
                comments.contains("canal container c2 on dual: tcp *:8080->80 to fd00:205:0:0:0:0:0:3 via canal-d"),
                comments.toString());
        try (var inC1 = c1.openSocket(Netlink.NETLINK_ROUTE)) {
            int eth0 = Links.get(inC1, "eth0").index();
            assertTrue(Routes.list(inC1, linux_h.AF_INET6())
                    .contains(new Routes.Route(
                            IpPrefix.parse("default", "::/0"),
                            Optional.of(IpPrefix.literal("gateway", "fd00:205::1")),
                            eth0)));
        }
    }

    @Test
    void aPublishedPortReachesTheContainerFromOutsideAndFromTheHost() throws Exception {
        networking.createNetwork(front);
        var published = new Endpoint(
                "c2",
                "eth0",
                List.of(IpPrefix.parse("address", "10.201.0.3/24")),
                true,
                List.of(new PortMapping("tcp", null, 8080, 80), new PortMapping("udp", null, 5353, 53)));
        networking.attach(front, published, c2);

        try (var server = listen(c2, "0.0.0.0", 80)) {
            // From outside, to the host's address: prerouting's DNAT.
            assertEquals(IpPrefix.literal("outside", "10.203.0.2"), connect(outside, "10.203.0.1", 8080, server));
            // From the host itself to one of its own addresses: output's DNAT.
            connect(host, "10.203.0.1", 8080, server);
            connect(host, "10.201.0.1", 8080, server);
            // 127.0.0.1 is left to a userland proxy, as Docker does: nothing listens there.
            assertThrows(ConnectException.class, () -> connect(host, "127.0.0.1", 8080, server));
        }
        try (var receiver = c2.call(() -> datagramSocket(53))) {
            outside.call(() -> {
                try (var sender = new DatagramSocket()) {
                    byte[] hello = "hello".getBytes();
                    sender.send(new DatagramPacket(hello, hello.length, new InetSocketAddress("10.203.0.1", 5353)));
                    return null;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            var packet = new DatagramPacket(new byte[16], 16);
            receiver.setSoTimeout(DROPPED_AFTER_MS);
            receiver.receive(packet);
            assertEquals("hello", new String(packet.getData(), 0, packet.getLength()));
        }
    }

    @Test
    void containersReachAPublishedPortThroughTheHostsSocketFromEveryNetwork() throws Exception {
        networking.createNetwork(front);
        networking.attach(front, endpoint("c1", "10.201.0.2/24"), c1);
        var published = new Endpoint(
                "c2",
                "eth0",
                List.of(IpPrefix.parse("address", "10.201.0.3/24")),
                true,
                List.of(new PortMapping("tcp", null, 8080, 80)));
        networking.attach(front, published, c2);
        // Created after the port's DNAT rule: its return must still come before it.
        networking.createNetwork(back);
        networking.attach(back, endpoint("c3", "10.202.0.2/24"), c3);

        // The host's socket of the published port stands for the engine's proxy, which would
        // connect to c2 from the host. Each client reaches it with its own address: not DNAT'ed.
        try (var proxy = listen(host, "0.0.0.0", 8080);
                var container = listen(c2, "0.0.0.0", 80)) {
            // From another network: DNAT'ed, it would be forwarded into front, and dropped there.
            var c3Address = IpPrefix.literal("c3", "10.202.0.2");
            assertEquals(c3Address, connect(c3, "10.203.0.1", 8080, proxy));
            assertEquals(c3Address, connect(c3, "10.202.0.1", 8080, proxy));
            assertEquals(c3Address, connect(c3, "10.201.0.1", 8080, proxy));
            // From the same network, and from c2 to its own port (the hairpin).
            assertEquals(IpPrefix.literal("c1", "10.201.0.2"), connect(c1, "10.203.0.1", 8080, proxy));
            assertEquals(IpPrefix.literal("c2", "10.201.0.3"), connect(c2, "10.201.0.1", 8080, proxy));
            // From outside, still DNAT'ed to the container.
            assertEquals(IpPrefix.literal("outside", "10.203.0.2"), connect(outside, "10.203.0.1", 8080, container));
        }
    }

    @Test
    void twoNetworksCannotReachEachOtherButBothReachTheOutside() throws Exception {
        networking.createNetwork(front);
        networking.createNetwork(back);
        networking.attach(front, endpoint("c1", "10.201.0.2/24"), c1);
        networking.attach(back, endpoint("c3", "10.202.0.2/24"), c3);

        try (var server = listen(c3, "0.0.0.0", 7000)) {
            connect(host, "10.202.0.2", 7000, server); // c3 listens and the host reaches it
            assertThrows(SocketTimeoutException.class, () -> connect(c1, "10.202.0.2", 7000, server));
        }
        try (var server = listen(c1, "0.0.0.0", 7000)) {
            assertThrows(SocketTimeoutException.class, () -> connect(c3, "10.201.0.2", 7000, server));
        }
        try (var server = listen(outside, "0.0.0.0", 7001)) {
            assertEquals(uplink, connect(c3, "10.203.0.2", 7001, server));
        }
    }

    @Test
    void anInternalNetworkTalksInsideButNotOutOrIn() throws Exception {
        var internal =
                new BridgeNetwork("inside", "canal-i", List.of(IpPrefix.parse("gateway", "10.206.0.1/24")), 0, true);
        networking.createNetwork(internal);
        networking.attach(internal, endpoint("c1", "10.206.0.2/24"), c1);
        networking.attach(internal, endpoint("c2", "10.206.0.3/24"), c2);
        // Give the outside a route to the network, so only Canal's rules stand in the way.
        try (var inOutside = outside.openSocket(Netlink.NETLINK_ROUTE)) {
            Routes.add(
                    inOutside,
                    internal.subnets().getFirst(),
                    uplink,
                    Links.get(inOutside, "eth0").index());
        }

        try (var server = listen(c2, "0.0.0.0", 7000)) {
            connect(c1, "10.206.0.3", 7000, server);
            assertThrows(SocketTimeoutException.class, () -> connect(outside, "10.206.0.3", 7000, server));
        }
        try (var server = listen(outside, "0.0.0.0", 7001)) {
            assertThrows(SocketTimeoutException.class, () -> connect(c1, "10.203.0.2", 7001, server));
        }
        assertTrue(networking.firewall().rules().stream()
                .noneMatch(r -> r.comment().startsWith("canal network inside: masquerade")));
    }

    @Test
    void detachAndRemoveAllLeaveNothingCanalMade() {
        networking.createNetwork(front);
        networking.createNetwork(back);
        var endpoint = new Endpoint(
                "c1",
                "eth0",
                List.of(IpPrefix.parse("address", "10.201.0.2/24")),
                true,
                List.of(new PortMapping("tcp", null, 8080, 80)));
        networking.attach(front, endpoint, c1);
        networking.attach(back, endpoint("c3", "10.202.0.2/24"), c3);
        var socket = networking.routeSocket();

        networking.detach(front, "c1");
        assertFalse(
                Links.find(socket, NetworkRules.hostInterface("c1", "front")).isPresent());
        try (var inC1 = c1.openSocket(Netlink.NETLINK_ROUTE)) {
            assertFalse(Links.find(inC1, "eth0").isPresent(), "the container's end went with the host's");
        }
        assertTrue(networking.firewall().rules().stream()
                .noneMatch(r -> r.comment().contains("container c1")));

        networking.removeNetwork(front);
        assertFalse(Links.find(socket, "canal-a").isPresent());
        assertTrue(networking.firewall().rules().stream()
                .noneMatch(r -> r.comment().contains("network front")));

        networking.removeAll();
        assertFalse(networking.firewall().exists());
        assertEquals(
                List.of("lo", "uplink"),
                Links.list(socket).stream().map(Link::name).toList());
        assertTrue(Addresses.list(socket).stream()
                .allMatch(a -> a.address().address().isLoopbackAddress()
                        || a.address().equals(new IpPrefix(uplink, 24))
                        || a.address().address().isLinkLocalAddress()));
    }

    @Test
    void reconcileAtStartRemovesWhatACrashLeftAndRepairsWhatIsWanted() {
        networking.createNetwork(front);
        networking.createNetwork(back);
        networking.attach(back, endpoint("c3", "10.202.0.2/24"), c3);
        var c1Endpoint = new Endpoint(
                "c1",
                "eth0",
                List.of(IpPrefix.parse("address", "10.201.0.2/24")),
                true,
                List.of(new PortMapping("tcp", null, 8080, 80)));
        networking.attach(front, c1Endpoint, c1);
        var socket = networking.routeSocket();
        // What a crash leaves and what a user deletes meanwhile:
        Addresses.delete(
                socket, Links.get(socket, "canal-a").index(), front.gateways().getFirst());
        Links.createBridge(socket, "their0", 0, "");

        // The engine's state after the restart: network back is gone, c1 still runs on front.
        networking.reconcile(List.of(front), List.of(new BridgeNetworking.Attachment(front, c1Endpoint)));

        assertFalse(Links.find(socket, "canal-b").isPresent(), "a network that is gone");
        assertFalse(Links.find(socket, NetworkRules.hostInterface("c3", "back")).isPresent(), "its container's veth");
        assertTrue(Links.find(socket, "their0").isPresent(), "an interface Canal did not make stays");
        assertTrue(Links.find(socket, NetworkRules.hostInterface("c1", "front")).isPresent());
        int bridge = Links.get(socket, "canal-a").index();
        assertTrue(Addresses.list(socket)
                .contains(new Addresses.Assigned(bridge, front.gateways().getFirst())));
        var comments = networking.firewall().rules().stream()
                .map(Firewall.InstalledRule::comment)
                .toList();
        assertTrue(comments.stream().noneMatch(c -> c.contains("back")), comments.toString());
        assertTrue(comments.stream().anyMatch(c -> c.startsWith("canal container c1 on front: tcp *:8080->80")));
        Links.delete(socket, "their0");
    }

    @Test
    void badInputIsRefusedWithOneLineAndLeavesNothing() {
        var tooBig = new BridgeNetwork(
                "big", "canal-x", List.of(IpPrefix.parse("gateway", "10.204.0.1/24")), 1_000_000, false);
        var refused = assertThrows(NetlinkException.class, () -> networking.createNetwork(tooBig));
        assertTrue(
                refused.getMessage().startsWith("create bridge canal-x: EINVAL (Invalid argument): kernel says \""),
                refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"));
        assertFalse(Links.find(networking.routeSocket(), "canal-x").isPresent());

        networking.createNetwork(front);
        var outsideSubnet = assertThrows(
                IllegalArgumentException.class, () -> networking.attach(front, endpoint("c1", "10.99.0.2/24"), c1));
        assertEquals(
                "container c1: address 10.99.0.2/24 is not in a subnet of network front [10.201.0.0/24]",
                outsideSubnet.getMessage());
        networking.attach(front, endpoint("c1", "10.201.0.2/24"), c1);
        // The same container twice: refused by the kernel, and the first attachment stays.
        var twice = assertThrows(
                NetlinkException.class, () -> networking.attach(front, endpoint("c1", "10.201.0.2/24"), c2));
        assertTrue(
                twice.getMessage().startsWith("create veth " + NetworkRules.hostInterface("c1", "front")),
                twice.getMessage());
        assertTrue(Links.find(networking.routeSocket(), NetworkRules.hostInterface("c1", "front"))
                .isPresent());
        assertThrows(IllegalArgumentException.class, () -> new PortMapping("sctp", null, 80, 80));
        assertThrows(IllegalArgumentException.class, () -> new PortMapping("tcp", null, 0, 80));
        assertThrows(
                IllegalArgumentException.class,
                () -> new BridgeNetwork("bad name", "canal-x", front.gateways(), 0, false));
    }

    private static Endpoint endpoint(String id, String address) {
        return new Endpoint(id, "eth0", List.of(IpPrefix.parse("address", address)), true, List.of());
    }

    /** A TCP listener opened by a thread inside {@code namespace}: it stays there. */
    private static ServerSocket listen(NetworkNamespace namespace, String address, int port) {
        return namespace.call(() -> {
            try {
                var server = new ServerSocket();
                server.bind(new InetSocketAddress(IpPrefix.literal("address", address), port));
                server.setSoTimeout(DROPPED_AFTER_MS);
                return server;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * Connects from inside {@code from} to {@code address:port}, then accepts on
     * {@code server}: returns the client's address as the server sees it.
     */
    private static InetAddress connect(NetworkNamespace from, String address, int port, ServerSocket server)
            throws IOException {
        try (var client = from.call(() -> {
                    try {
                        var socket = new Socket();
                        socket.connect(
                                new InetSocketAddress(IpPrefix.literal("address", address), port), DROPPED_AFTER_MS);
                        return socket;
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                var accepted = server.accept()) {
            client.getOutputStream().write(42);
            assertEquals(42, accepted.getInputStream().read());
            return accepted.getInetAddress();
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static DatagramSocket datagramSocket(int port) {
        try {
            return new DatagramSocket(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String sysctl(String file) {
        try {
            return Files.readString(Path.of(file)).trim();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
