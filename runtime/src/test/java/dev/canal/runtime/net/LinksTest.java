package dev.canal.runtime.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Processes;
import dev.canal.runtime.testing.NamespaceCommands;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.ScratchNetworkNamespace;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * rtnetlink against the real kernel, all inside a network namespace of the test's own (the
 * "host") and namespaces made inside it (the "containers").
 */
@RequiresRoot
class LinksTest {

    private NetworkNamespace host;
    private NetworkNamespace container;
    private NetlinkSocket hostSocket;
    private NetlinkSocket containerSocket;

    @BeforeEach
    void namespaces() {
        host = ScratchNetworkNamespace.create();
        container = ScratchNetworkNamespace.createInside(host);
        hostSocket = host.openSocket(Netlink.NETLINK_ROUTE);
        containerSocket = container.openSocket(Netlink.NETLINK_ROUTE);
    }

    @AfterEach
    void closeNamespaces() {
        containerSocket.close();
        hostSocket.close();
        container.close();
        host.close();
    }

    @Test
    void aBridgeIsCreatedUpWithItsAliasAndReadBackByTheDump() {
        Links.createBridge(hostSocket, "canal-t0", 1400, "canal network test");

        Link bridge = Links.find(hostSocket, "canal-t0").orElseThrow();
        assertEquals("bridge", bridge.kind());
        assertEquals("canal network test", bridge.alias());
        assertEquals(1400, bridge.mtu());
        assertTrue(bridge.isUp());
        assertEquals(bridge, Links.get(hostSocket, "canal-t0"));
        assertTrue(Links.list(hostSocket).stream().anyMatch(link -> link.name().equals("lo")));
    }

    @Test
    void aVethPairIsBornWithOneEndOnTheBridgeAndTheOtherInTheContainer() {
        Links.createBridge(hostSocket, "canal-t0", 0, "");
        byte[] mac = {0x02, 0x42, (byte) 172, 18, 0, 2};

        int peerIndex = Links.createVeth(
                hostSocket, "veth-t0", Links.get(hostSocket, "canal-t0").index(), "eth0", container, mac, 0);

        Link bridge = Links.get(hostSocket, "canal-t0");
        Link hostEnd = Links.get(hostSocket, "veth-t0");
        assertEquals("veth", hostEnd.kind());
        assertEquals(bridge.index(), hostEnd.master());
        assertTrue(hostEnd.isUp());
        Link containerEnd = Links.get(containerSocket, "eth0");
        assertEquals("veth", containerEnd.kind());
        assertFalse(containerEnd.isUp(), "the peer is born down");
        Links.setUp(containerSocket, "eth0", true);
        assertTrue(Links.get(containerSocket, "eth0").isUp());
        assertEquals(hostEnd.index(), containerEnd.peer(), "IFLA_LINK names the other end");
        assertEquals(containerEnd.index(), peerIndex, "the echoed creation names the peer's index");
        assertFalse(Links.find(hostSocket, "eth0").isPresent(), "the peer was created in the container only");
    }

    @Test
    void bothEndsOfAVethHaveOneQueueEachWay() {
        Links.createVeth(hostSocket, "veth-t0", 0, "eth0", container, null, 0);

        // ip(8) reads them back (IFLA_NUM_TX_QUEUES, IFLA_NUM_RX_QUEUES): the kernel's default
        // would be one per possible CPU.
        for (var end : List.of(
                NamespaceCommands.run(host, "ip", "-d", "link", "show", "veth-t0"),
                NamespaceCommands.run(container, "ip", "-d", "link", "show", "eth0"))) {
            assertTrue(end.contains("numtxqueues 1 numrxqueues 1"), end);
        }
    }

    @Test
    void requestsSentTogetherAreEachAppliedAndTheRefusedOneIsNamed() {
        Links.createVeth(hostSocket, "veth-t0", 0, "eth0", container, null, 0);
        int containerEnd = Links.get(containerSocket, "eth0").index();
        var address = IpPrefix.parse("address", "10.200.0.2/24");

        var refused = assertThrows(NetlinkException.class, () -> {
            try (var requests = new NetlinkRequests(containerSocket)) {
                Links.setUp(requests, "eth0", true);
                Routes.add(
                        requests,
                        IpPrefix.parse("default", "0.0.0.0/0"),
                        IpPrefix.literal("gw", "10.9.9.1"),
                        containerEnd);
                Addresses.add(requests, containerEnd, address);
                requests.send();
            }
        });

        assertTrue(
                refused.getMessage().startsWith("add route to 0.0.0.0/0 via 10.9.9.1: ENETUNREACH"),
                refused.getMessage());
        assertTrue(Links.get(containerSocket, "eth0").isUp(), "the request before the refused one was applied");
        assertTrue(
                Addresses.list(containerSocket).contains(new Addresses.Assigned(containerEnd, address)),
                "and so was the one after it: requests are not a transaction");
        // Every ack was read before the error was thrown: the next request gets its own.
        Addresses.add(containerSocket, containerEnd, IpPrefix.parse("address", "10.200.1.2/24"));
    }

    @Test
    void addressesOfBothFamiliesAndADefaultRouteAreSetAndReadBack() {
        Links.createVeth(hostSocket, "veth-t0", 0, "eth0", container, null, 0);
        Links.setUp(containerSocket, "eth0", true);
        int hostEnd = Links.get(hostSocket, "veth-t0").index();
        int containerEnd = Links.get(containerSocket, "eth0").index();
        var gateway4 = IpPrefix.parse("gateway", "10.200.0.1/24");
        var gateway6 = IpPrefix.parse("gateway", "fd00:c0a1::1/64");
        var address4 = IpPrefix.parse("address", "10.200.0.2/24");
        var address6 = IpPrefix.parse("address", "fd00:c0a1::2/64");

        Addresses.add(hostSocket, hostEnd, gateway4);
        Addresses.add(hostSocket, hostEnd, gateway6);
        Addresses.add(containerSocket, containerEnd, address4);
        Addresses.add(containerSocket, containerEnd, address6);
        Routes.add(containerSocket, IpPrefix.parse("default", "0.0.0.0/0"), gateway4.address(), containerEnd);
        Routes.add(containerSocket, IpPrefix.parse("default", "::/0"), gateway6.address(), containerEnd);

        List<Addresses.Assigned> inContainer = Addresses.list(containerSocket);
        assertTrue(inContainer.contains(new Addresses.Assigned(containerEnd, address4)), inContainer.toString());
        assertTrue(inContainer.contains(new Addresses.Assigned(containerEnd, address6)), inContainer.toString());
        assertTrue(Addresses.list(hostSocket).contains(new Addresses.Assigned(hostEnd, gateway4)));
        // IPv4 addresses carry their subnet's broadcast, as docker's do; ip(8) reads it back.
        String shown = NamespaceCommands.run(container, "ip", "addr", "show", "eth0");
        assertTrue(shown.contains("inet 10.200.0.2/24 brd 10.200.0.255 "), shown);
        assertFalse(shown.contains("fd00:c0a1::2/64 brd"), shown);
        assertTrue(Routes.list(containerSocket, linux_h.AF_INET())
                .contains(new Routes.Route(
                        IpPrefix.parse("default", "0.0.0.0/0"), Optional.of(gateway4.address()), containerEnd)));
        assertTrue(Routes.list(containerSocket, linux_h.AF_INET6())
                .contains(new Routes.Route(
                        IpPrefix.parse("default", "::/0"), Optional.of(gateway6.address()), containerEnd)));

        Addresses.delete(containerSocket, containerEnd, address4);
        assertFalse(Addresses.list(containerSocket).contains(new Addresses.Assigned(containerEnd, address4)));
    }

    @Test
    void mtuStateMasterAndNamespaceChangeAndDeletingOneEndDeletesBoth() {
        Links.createBridge(hostSocket, "canal-t0", 0, "");
        Links.createVeth(hostSocket, "veth-t0", 0, "veth-t1", null, null, 0);

        Links.setMtu(hostSocket, "veth-t0", 1280);
        Links.setUp(hostSocket, "veth-t0", false);
        Links.setMaster(hostSocket, "veth-t0", "canal-t0");
        Link changed = Links.get(hostSocket, "veth-t0");
        assertEquals(1280, changed.mtu());
        assertFalse(changed.isUp());
        assertEquals(Links.get(hostSocket, "canal-t0").index(), changed.master());
        Links.setMaster(hostSocket, "veth-t0", "");
        assertEquals(0, Links.get(hostSocket, "veth-t0").master());

        Links.moveTo(hostSocket, "veth-t1", container);
        assertTrue(Links.find(containerSocket, "veth-t1").isPresent());
        assertFalse(Links.find(hostSocket, "veth-t1").isPresent());

        Links.delete(hostSocket, "veth-t0");
        assertFalse(Links.find(hostSocket, "veth-t0").isPresent());
        assertFalse(Links.find(containerSocket, "veth-t1").isPresent(), "the peer went with it");
    }

    @Test
    void aLinkMovesIntoTheNamespaceOfAProcessById() {
        Links.createVeth(hostSocket, "veth-t0", 0, "veth-t1", null, null, 0);
        // The container namespace's holder here is a thread; IFLA_NET_NS_PID takes its id.
        container.call(() -> {
            Links.moveToPid(hostSocket, "veth-t1", Processes.tid());
            return null;
        });
        assertTrue(Links.find(containerSocket, "veth-t1").isPresent());
    }

    @Test
    void refusalsNameTheOperationTheErrnoAndTheKernelsOwnWords() {
        Links.createVeth(hostSocket, "veth-t0", 0, "veth-t1", null, null, 0);

        var tooBig = assertThrows(NetlinkException.class, () -> Links.setMtu(hostSocket, "veth-t0", 1_000_000));
        assertEquals(linux_h.EINVAL(), tooBig.errno());
        assertFalse(tooBig.kernelMessage().isEmpty(), "the kernel explains a refused MTU");
        assertTrue(
                tooBig.getMessage()
                        .startsWith("set mtu of veth-t0 to 1000000: EINVAL (Invalid argument): kernel says \""),
                tooBig.getMessage());
        assertFalse(tooBig.getMessage().contains("\n"));

        var exists = assertThrows(NetlinkException.class, () -> Links.createBridge(hostSocket, "veth-t0", 0, ""));
        assertEquals(linux_h.EEXIST(), exists.errno());
        assertTrue(exists.getMessage().startsWith("create bridge veth-t0: EEXIST"), exists.getMessage());

        var missing = assertThrows(NetlinkException.class, () -> Links.delete(hostSocket, "nothere0"));
        assertEquals(linux_h.ENODEV(), missing.errno());

        var badName = assertThrows(IllegalArgumentException.class, () -> Links.createBridge(hostSocket, "a/b", 0, ""));
        assertEquals(
                "bridge name: \"a/b\" is not an interface name (1 to 15 characters, no '/', ':' or blanks)",
                badName.getMessage());
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("subnet", "10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("subnet", "example.com/8"));
    }

    @Test
    void nothingOfTheTestReachesTheMachinesNamespace() {
        Links.createBridge(hostSocket, "canal-t0", 0, "");
        try (var machine = NetlinkSocket.open(Netlink.NETLINK_ROUTE)) {
            // Only read: the machine's namespace is looked at, never changed.
            assertFalse(Links.find(machine, "canal-t0").isPresent());
        }
    }
}
