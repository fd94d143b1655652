package dev.canal.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.engine.ConflictException;
import dev.canal.engine.ContainerRecord;
import dev.canal.engine.ContainerSpec;
import dev.canal.images.ImageLibrary;
import dev.canal.runtime.net.Link;
import dev.canal.runtime.net.Links;
import dev.canal.runtime.net.Netlink;
import dev.canal.runtime.net.NetlinkSocket;
import dev.canal.runtime.net.NetworkNamespace;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.ScratchNetworkNamespace;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Networks#release} leaves a container's veth to the {@link VethReaper}: its address
 * must not be handed out while the veth exists, and whoever needs the network without it (the
 * next container on a full pool, {@code network rm}, the daemon's end, the next start after a
 * crash) must find it gone; a start that fails half way leaves no veth. Everything happens in a network namespace of the test's own; the
 * containers' namespaces stay open, so that only the engine, not the kernel, removes a veth.
 */
@RequiresRoot
class NetworksReleaseTest {

    /** One address for containers: 10.214.0.2 (10.214.0.1 is the gateway). */
    private static final String ONE_ADDRESS = "10.214.0.0/30";

    @TempDir
    Path dataRoot;

    private NetworkNamespace host;
    /** An rtnetlink socket of the test's host namespace, to look at its links. */
    private NetlinkSocket observer;

    private final List<NetworkNamespace> containers = new ArrayList<>();
    private int count;

    @BeforeEach
    void hostNamespace() {
        host = ScratchNetworkNamespace.create();
        observer = host.openSocket(Netlink.NETLINK_ROUTE);
    }

    @AfterEach
    void closeNamespaces() {
        containers.forEach(NetworkNamespace::close);
        observer.close();
        host.close();
    }

    @Test
    void theNextContainerOnAFullPoolGetsTheAddressOnlyOnceTheOldVethIsGone() {
        try (Networks networks = networks(host.call(NetworkNamespace::current))) {
            networks.create(new NetworkCreate("one", null, ONE_ADDRESS, null, null, false, Map.of()));
            ContainerRecord first = start(networks, "one");
            assertEquals(
                    "10.214.0.2", networks.endpointsOf(first.id()).getFirst().ipAddress());
            assertTrue(vethOf(first).isPresent(), links().toString());

            networks.release(first.id());
            assertEquals(List.of(), networks.endpointsOf(first.id()));
            ContainerRecord second = start(networks, "one");

            assertTrue(vethOf(first).isEmpty(), "the address was handed out again while its veth existed: " + links());
            assertEquals(
                    "10.214.0.2", networks.endpointsOf(second.id()).getFirst().ipAddress());
            assertTrue(vethOf(second).isPresent(), links().toString());
        }
    }

    @Test
    void whileItsVethIsBeingDeletedAnEndedContainersAddressStaysHeld() throws Exception {
        ExecutorService reaperThread = Executors.newSingleThreadExecutor();
        var heldBack = new CountDownLatch(1);
        reaperThread.execute(() -> awaitQuietly(heldBack)); // the deletions queue behind this
        try (Networks networks = Networks.in(
                dataRoot,
                ImageLibrary.open(dataRoot.resolve("images")),
                BridgeDefaults.NONE,
                host.call(NetworkNamespace::current),
                reaperThread)) {
            NetworkRecord one =
                    networks.create(new NetworkCreate("one", null, ONE_ADDRESS, null, null, false, Map.of()));
            ContainerRecord first = start(networks, "one");

            try {
                networks.release(first.id());
                assertEquals(List.of(), networks.endpointsOf(first.id()), "the endpoint goes at once");
                assertTrue(vethOf(first).isPresent(), links().toString());
                var pool = new AddressPool(dataRoot.resolve("networks/addresses"));
                assertThrows(
                        ConflictException.class,
                        () -> pool.claim(one, "probe", "10.214.0.2"),
                        "the address was given back while its veth was still there");
            } finally {
                heldBack.countDown(); // or close would wait for the held-back deletion forever
            }
            ContainerRecord second = start(networks, "one");
            assertTrue(vethOf(first).isEmpty(), links().toString());
            assertEquals(
                    "10.214.0.2", networks.endpointsOf(second.id()).getFirst().ipAddress());
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void networkRemovalAndTheEndWaitForTheVethsBeingDeleted() {
        Networks networks = networks(host.call(NetworkNamespace::current));
        networks.create(new NetworkCreate("one", null, ONE_ADDRESS, null, null, false, Map.of()));
        networks.create(new NetworkCreate("two", null, "10.215.0.0/24", null, null, false, Map.of()));
        ContainerRecord onOne = start(networks, "one");
        ContainerRecord onTwo = start(networks, "two");

        networks.release(onOne.id());
        networks.remove("one");
        assertTrue(vethOf(onOne).isEmpty(), "network rm returned before the veth was deleted: " + links());
        assertTrue(
                links().stream()
                        .noneMatch(
                                l -> l.alias().endsWith(" on one") || l.alias().equals("canal network one")),
                links().toString());

        networks.release(onTwo.id());
        networks.close();
        assertTrue(vethOf(onTwo).isEmpty(), "close returned before the veth was deleted: " + links());
    }

    @Test
    void whatACrashLeftWhileAVethWasBeingDeletedGoesAtTheNextStartWithItsAddressFree() {
        NetworkNamespace sameHost = host.call(NetworkNamespace::current);
        ContainerRecord crashed;
        try (Networks before = networks(host.call(NetworkNamespace::current))) {
            before.create(new NetworkCreate("one", null, ONE_ADDRESS, null, null, false, Map.of()));
            crashed = start(before, "one");
            // What release leaves on disk before its reaper ends: the endpoint forgotten, the
            // address still held, the veth still there.
            new NetworkStore(dataRoot.resolve("networks")).writeEndpoints(crashed.id(), List.of());
        }
        assertTrue(vethOf(crashed).isPresent(), links().toString());

        try (Networks after = networks(sameHost)) {
            after.restore(id -> false);
            assertTrue(vethOf(crashed).isEmpty(), links().toString());
            ContainerRecord next = start(after, "one");
            assertEquals("10.214.0.2", after.endpointsOf(next.id()).getFirst().ipAddress());
        }
    }

    @Test
    void aStartWhoseDnsServerCannotListenLeavesNoVethAndItsReleaseFreesTheAddress() throws Exception {
        try (Networks networks = networks(host.call(NetworkNamespace::current))) {
            networks.create(new NetworkCreate("one", null, ONE_ADDRESS, null, null, false, Map.of()));
            Prepared failing = prepare(networks, "one");
            // Something in the container holds the embedded DNS server's port: the visit that
            // opens the sockets fails while the veth pair is being made.
            try (DatagramChannel taken = failing.namespace().call(() -> bindDnsPort())) {
                var refused = assertThrows(
                        UncheckedIOException.class,
                        () -> networks.connect(failing.record().id(), failing.namespace()));
                assertTrue(refused.getMessage().contains("for DNS"), refused.getMessage());
            }
            assertTrue(vethOf(failing.record()).isEmpty(), links().toString());

            networks.release(failing.record().id());
            ContainerRecord next = start(networks, "one");
            assertEquals(
                    "10.214.0.2", networks.endpointsOf(next.id()).getFirst().ipAddress());
            assertTrue(vethOf(next).isPresent(), links().toString());
        }
    }

    private static DatagramChannel bindDnsPort() {
        try {
            return DatagramChannel.open().bind(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.11"), 53));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Networks networks(NetworkNamespace hostHandle) {
        return Networks.in(dataRoot, ImageLibrary.open(dataRoot.resolve("images")), BridgeDefaults.NONE, hostHandle);
    }

    /** A container on {@code network}, prepared and connected in a namespace of its own, as the engine starts one. */
    private ContainerRecord start(Networks networks, String network) {
        Prepared prepared = prepare(networks, network);
        networks.connect(prepared.record().id(), prepared.namespace());
        return prepared.record();
    }

    /** A container prepared on a network, and the namespace its process would have. */
    private record Prepared(ContainerRecord record, NetworkNamespace namespace) {}

    private Prepared prepare(Networks networks, String network) {
        count++;
        String id = String.format("%064x", count);
        var settings = new ContainerSpec.HostSettings(
                null, false, null, null, network, false, null, null, false, null, null, null, NetworkRequest.NONE);
        var spec = new ContainerSpec(
                "test",
                null,
                null,
                List.of(),
                null,
                null,
                "c" + count,
                false,
                false,
                false,
                Map.of(),
                null,
                null,
                settings);
        var record = ContainerRecord.created(id, "c" + count, "test", null, List.of(), "2026-12-07T00:00:00Z", spec);
        NetworkNamespace namespace = ScratchNetworkNamespace.createInside(host);
        containers.add(namespace);
        try {
            networks.prepare(
                    record,
                    Files.createDirectories(dataRoot.resolve("containers").resolve(id)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Prepared(record, namespace);
    }

    private Optional<Link> vethOf(ContainerRecord container) {
        return links().stream()
                .filter(l -> l.alias().startsWith("canal container " + container.id() + " on "))
                .findFirst();
    }

    private List<Link> links() {
        return Links.list(observer);
    }
}
