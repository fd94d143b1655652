package dev.canal.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EtcFilesTest {

    private static final ContainerEndpoint ENDPOINT = new ContainerEndpoint(
            "c".repeat(64),
            "web",
            "n".repeat(64),
            "front",
            "e".repeat(64),
            "10.1.0.2/24",
            "10.1.0.1",
            "02:42:0a:01:00:02",
            List.of("www"),
            List.of(),
            "eth0",
            null);

    @Test
    void hostsHasLoopbackTheContainersHostNameNotItsAliasesAndAddedHosts() {
        var request = request(List.of("db:10.1.0.9", "host.docker.internal:host-gateway"), List.of());
        String hosts = EtcFiles.hosts("3f2c1a9e8b7d", ENDPOINT, request);
        assertTrue(hosts.startsWith("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"), hosts);
        assertTrue(hosts.endsWith("10.1.0.2\t3f2c1a9e8b7d\n10.1.0.9\tdb\n10.1.0.1\thost.docker.internal\n"), hosts);
        assertFalse(hosts.contains("www"), "an alias is the embedded DNS server's, not the hosts file's: " + hosts);
    }

    @Test
    void aConnectedNetworksLineIsAddedAndRemovedInPlaceAndAChangedLineStays(@TempDir Path directory)
            throws IOException {
        var connected = new ContainerEndpoint(
                "c".repeat(64),
                "web",
                "m".repeat(64),
                "back",
                "e".repeat(64),
                "10.2.0.7/24",
                "10.2.0.1",
                "02:42:0a:02:00:07",
                List.of(),
                List.of(),
                "eth1",
                null);
        EtcFiles.write(
                directory, "web.example", List.of(ENDPOINT), NetworkRequest.NONE, directory.resolve("none"), false);
        Path hosts = directory.resolve("hosts");
        String started = Files.readString(hosts);
        Object inode = Files.getAttribute(hosts, "unix:ino");

        EtcFiles.addHostsEntry(directory, "web.example", connected);
        assertEquals(
                started + "10.2.0.7\tweb.example web\n", Files.readString(hosts), "moby's record: FQDN, first label");
        assertEquals(inode, Files.getAttribute(hosts, "unix:ino"), "the bind mount's inode");
        Files.writeString(hosts, "10.2.0.7\tweb.example web mine\n", StandardOpenOption.APPEND);

        EtcFiles.removeHostsEntry(directory, "web.example", connected);
        assertEquals(started + "10.2.0.7\tweb.example web mine\n", Files.readString(hosts));
        assertEquals(inode, Files.getAttribute(hosts, "unix:ino"));
    }

    @Test
    void aContainerStartedWithAConnectedNetworkHasItsLineAfterItsOwn(@TempDir Path directory) throws IOException {
        var connected = new ContainerEndpoint(
                "c".repeat(64),
                "web",
                "m".repeat(64),
                "back",
                "e".repeat(64),
                "10.2.0.7/24",
                "10.2.0.1",
                "",
                null,
                null,
                "eth1",
                null);
        EtcFiles.write(
                directory, "h", List.of(ENDPOINT, connected), NetworkRequest.NONE, directory.resolve("none"), false);
        assertTrue(Files.readString(directory.resolve("hosts")).endsWith("10.1.0.2\th\n10.2.0.7\th\n"));
    }

    @Test
    void aBadAddedHostIsRefused() {
        assertThrows(
                IllegalArgumentException.class, () -> EtcFiles.hosts("h", ENDPOINT, request(List.of("db"), List.of())));
        assertThrows(
                IllegalArgumentException.class,
                () -> EtcFiles.hosts("h", ENDPOINT, request(List.of("db:not-an-address"), List.of())));
    }

    @Test
    void resolvConfDropsTheHostsLoopbackServersAndKeepsSearchAndOptions() {
        String host = "nameserver 127.0.0.53\nnameserver 10.0.0.2\nsearch example.org\noptions edns0 trust-ad\n";
        assertEquals(
                "nameserver 10.0.0.2\nsearch example.org\noptions edns0 trust-ad\n",
                EtcFiles.resolvConf(NetworkRequest.NONE, host));
    }

    @Test
    void resolvConfFallsBackToDockersServersAndDnsOverridesTheHost() {
        assertEquals(
                "nameserver 8.8.8.8\nnameserver 8.8.4.4\n",
                EtcFiles.resolvConf(NetworkRequest.NONE, "nameserver 127.0.0.53\n"));
        assertEquals(
                "nameserver 9.9.9.9\nsearch example.org\n",
                EtcFiles.resolvConf(
                        request(List.of(), List.of("9.9.9.9")), "nameserver 10.0.0.2\nsearch example.org\n"));
    }

    @Test
    void onAUserNetworkResolvConfNamesTheEmbeddedServerWithNdotsZero() {
        String host = "nameserver 127.0.0.53\nsearch example.org\noptions ndots:2 edns0\n";
        assertEquals("""
                nameserver 127.0.0.11
                search example.org
                options ndots:0 edns0

                # canal's embedded DNS server answers the names of the containers on this container's
                # networks and forwards other names to 127.0.0.53
                """, EtcFiles.embeddedResolvConf(NetworkRequest.NONE, host));
        var withOptions = new NetworkRequest(
                null,
                List.of(),
                List.of(),
                false,
                List.of(),
                List.of(),
                List.of("9.9.9.9"),
                List.of(),
                List.of("ndots:3"));
        assertEquals("""
                nameserver 127.0.0.11
                search example.org
                options ndots:3

                # canal's embedded DNS server answers the names of the containers on this container's
                # networks and forwards other names to 9.9.9.9
                """, EtcFiles.embeddedResolvConf(withOptions, host));
    }

    @Test
    void theEmbeddedServerForwardsToDnsElseToEveryHostServerLoopbackIncluded() {
        String host = "nameserver 127.0.0.53\nnameserver 10.0.0.2\n";
        assertEquals(
                List.of(
                        new InetSocketAddress(InetAddress.ofLiteral("127.0.0.53"), 53),
                        new InetSocketAddress(InetAddress.ofLiteral("10.0.0.2"), 53)),
                EtcFiles.upstreamServers(NetworkRequest.NONE, host));
        assertEquals(
                List.of(new InetSocketAddress(InetAddress.ofLiteral("9.9.9.9"), 53)),
                EtcFiles.upstreamServers(request(List.of(), List.of("9.9.9.9")), host));
        assertEquals(2, EtcFiles.upstreamServers(NetworkRequest.NONE, "").size(), "docker's public ones");
    }

    /**
     * moby's files for a container without a bridge network: on none, loopback names and
     * --add-host, and the host's name servers but those on its loopback; on host, the host's
     * files as they are (its loopback name server works there) unless --add-host asks for lines.
     */
    @Test
    void noneAndHostGetDockersFilesWithoutAnAddressOfTheirOwn(@TempDir Path directory) throws IOException {
        Path hostResolvConf = Files.writeString(
                directory.resolve("host-resolv.conf"), "nameserver 127.0.0.53\nnameserver 10.0.0.53\nsearch lan\n");
        Path hostHosts = Files.writeString(directory.resolve("host-hosts"), "127.0.0.1 localhost\n10.0.0.5 nas\n");
        Path none = Files.createDirectory(directory.resolve("none"));
        var mounts = EtcFiles.writeWithoutBridge(
                none, "loner", false, request(List.of("db:10.1.0.9"), List.of()), hostResolvConf, hostHosts, null);
        assertEquals(3, mounts.size());
        assertEquals("loner\n", Files.readString(none.resolve("hostname")));
        assertTrue(Files.readString(none.resolve("hosts")).startsWith("127.0.0.1\tlocalhost\n"));
        assertTrue(Files.readString(none.resolve("hosts")).endsWith("ff02::2\tip6-allrouters\n10.1.0.9\tdb\n"));
        assertEquals("nameserver 10.0.0.53\nsearch lan\n", Files.readString(none.resolve("resolv.conf")));

        Path host = Files.createDirectory(directory.resolve("host"));
        EtcFiles.writeWithoutBridge(host, "vm", true, NetworkRequest.NONE, hostResolvConf, hostHosts, null);
        assertEquals(Files.readString(hostHosts), Files.readString(host.resolve("hosts")));
        assertEquals(Files.readString(hostResolvConf), Files.readString(host.resolve("resolv.conf")));

        var gateway = request(List.of("h:host-gateway"), List.of());
        EtcFiles.writeWithoutBridge(host, "vm", true, gateway, hostResolvConf, hostHosts, "172.17.0.1");
        assertTrue(Files.readString(host.resolve("hosts")).endsWith("ff02::2\tip6-allrouters\n172.17.0.1\th\n"));
        var noDefaultBridge = assertThrows(
                IllegalArgumentException.class,
                () -> EtcFiles.writeWithoutBridge(host, "vm", true, gateway, hostResolvConf, hostHosts, null));
        assertEquals("unable to derive the IP value for host-gateway", noDefaultBridge.getMessage());
    }

    private static NetworkRequest request(List<String> extraHosts, List<String> dns) {
        return new NetworkRequest(null, List.of(), List.of(), false, List.of(), extraHosts, dns, List.of(), List.of());
    }
}
