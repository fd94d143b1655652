package dev.canal.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which names a container resolves through the embedded DNS server, from endpoints written to
 * a store of the test's own: a client on {@code front}, {@code web} on {@code front} with an
 * alias, {@code db} on {@code back} only, and {@code twin}, a second container with web's alias.
 */
class NetworkNameDirectoryTest {

    private static final String FRONT = "f".repeat(64);
    private static final String BACK = "b".repeat(64);

    @TempDir
    Path root;

    private NetworkNameDirectory directory() {
        var store = new NetworkStore(root);
        store.writeEndpoints("client", List.of(endpoint("c1".repeat(32), "client", FRONT, "front", "10.1.0.5")));
        store.writeEndpoints(
                "web", List.of(endpoint("a1b2c3d4e5f6".repeat(5) + "abcd", "web", FRONT, "front", "10.1.0.2", "www")));
        store.writeEndpoints("twin", List.of(endpoint("d4".repeat(32), "twin", FRONT, "front", "10.1.0.3", "www")));
        store.writeEndpoints("db", List.of(endpoint("e5".repeat(32), "db", BACK, "back", "10.2.0.2")));
        return new NetworkNameDirectory(store, this);
    }

    @Test
    void namesAliasesAndShortIdsOfTheSameNetworkOnly() {
        var directory = directory();
        assertEquals(Optional.of(List.of(address("10.1.0.2"))), directory.addressesOf("client", "web"));
        assertEquals(Optional.of(List.of(address("10.1.0.2"))), directory.addressesOf("client", "a1b2c3d4e5f6"));
        assertEquals(
                List.of("10.1.0.2", "10.1.0.3"),
                directory.addressesOf("client", "www").orElseThrow().stream()
                        .map(InetAddress::getHostAddress)
                        .sorted()
                        .toList(),
                "an alias two containers share gives both");
        assertEquals(Optional.empty(), directory.addressesOf("client", "db"), "db is on another network");
        assertEquals(
                Optional.empty(), directory.addressesOf("stranger", "web"), "a container on no network knows none");
    }

    @Test
    void aNameFollowedByItsNetworksNameAndPointerNames() {
        var directory = directory();
        assertEquals(Optional.of(List.of(address("10.1.0.2"))), directory.addressesOf("client", "web.front"));
        assertEquals(Optional.empty(), directory.addressesOf("client", "web.back"));
        assertEquals(Optional.empty(), directory.addressesOf("client", "db.back"), "not a network of the client's");
        assertEquals(Optional.of("web.front"), directory.nameOf("client", address("10.1.0.2")));
        assertEquals(Optional.empty(), directory.nameOf("client", address("10.2.0.2")));
    }

    @Test
    void aContainerThatLeavesIsNoLongerAnAnswer() throws Exception {
        var directory = directory();
        Files.delete(root.resolve("endpoints").resolve("web.json"));
        assertEquals(Optional.empty(), directory.addressesOf("client", "web"));
    }

    private static ContainerEndpoint endpoint(
            String id, String name, String networkId, String networkName, String address, String... aliases) {
        return new ContainerEndpoint(
                id,
                name,
                networkId,
                networkName,
                "e".repeat(64),
                address + "/24",
                "10.0.0.1",
                "02:42:00:00:00:00",
                List.of(aliases),
                List.of(),
                "eth0");
    }

    private static InetAddress address(String literal) {
        return InetAddress.ofLiteral(literal);
    }
}
