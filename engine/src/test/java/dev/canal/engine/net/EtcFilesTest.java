package dev.canal.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

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
            "eth0");

    @Test
    void hostsHasLoopbackTheContainersNamesAndAddedHosts() {
        var request = request(List.of("db:10.1.0.9", "host.docker.internal:host-gateway"), List.of());
        String hosts = EtcFiles.hosts("3f2c1a9e8b7d", ENDPOINT, request);
        assertTrue(hosts.startsWith("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"), hosts);
        assertTrue(hosts.endsWith("10.1.0.2\t3f2c1a9e8b7d www\n10.1.0.9\tdb\n10.1.0.1\thost.docker.internal\n"), hosts);
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

    private static NetworkRequest request(List<String> extraHosts, List<String> dns) {
        return new NetworkRequest(null, List.of(), List.of(), false, List.of(), extraHosts, dns, List.of(), List.of());
    }
}
