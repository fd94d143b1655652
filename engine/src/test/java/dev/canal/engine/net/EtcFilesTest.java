package dev.canal.engine.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    private static NetworkRequest request(List<String> extraHosts, List<String> dns) {
        return new NetworkRequest(null, List.of(), List.of(), false, List.of(), extraHosts, dns, List.of(), List.of());
    }
}
