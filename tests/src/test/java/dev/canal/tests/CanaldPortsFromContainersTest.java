package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.runtime.net.NetworkNamespace;
import dev.canal.runtime.testing.RequiresRoot;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Published ports reached through the host's addresses from containers (issue 17, part 5), each
 * answer as dockerd 20.10 gives it with its userland proxy on, in the same situation
 * (docs/networking.md, "Published ports seen from containers"): from the published container's
 * own network, from the container itself (the hairpin), and from another network, through the
 * gateways and through a second address of the host. The server in each published container
 * answers with the client's address as it sees it, which tells the path: the daemon's proxy
 * connects from the published network's gateway; a DNAT'ed connection from the host keeps its
 * source. Everything happens in canald's network namespace ({@link NetworkedCanald}); the second
 * address is on a veth pair the test makes there.
 */
@RequiresRoot
class CanaldPortsFromContainersTest {

    private static final String IMAGE = "canal-ports-busybox";

    /** A second address of the host's namespace, as a machine's LAN address would be. */
    private static final String HOST_ADDRESS = "10.99.0.1";

    /** busybox httpd with a CGI script that prints the client's address (REMOTE_ADDR). */
    private static final String SERVER = "mkdir -p /www/cgi-bin"
            + " && printf '#!/bin/sh\\necho Content-Type: text/plain\\necho\\necho $REMOTE_ADDR\\n' > /www/cgi-bin/peer"
            + " && chmod +x /www/cgi-bin/peer && exec httpd -f -p 80 -h /www";

    private static NetworkedCanald canald;

    @BeforeAll
    static void canaldInANetworkNamespaceOfItsOwn() throws Exception {
        canald = NetworkedCanald.startWithImage(IMAGE);
        inside("ip", "link", "add", "lan0", "type", "veth", "peer", "name", "lan1");
        inside("ip", "address", "add", HOST_ADDRESS + "/32", "dev", "lan0");
        inside("ip", "link", "set", "lan0", "up");
        inside("ip", "link", "set", "lan1", "up");
    }

    @AfterAll
    static void stop() throws Exception {
        if (canald != null) {
            canald.close();
        }
    }

    @Test
    void everyContainerReachesPublishedPortsThroughTheHostsAddressesAsDockerdDoes() throws Exception {
        canald.succeeds("network", "create", "--subnet", "10.230.0.0/24", "other");
        canald.succeeds("network", "create", "--subnet", "10.231.0.0/24", "front");
        canald.succeeds("run", "-d", "--name", "web", "-p", "8080:80", IMAGE, "sh", "-c", SERVER);
        canald.succeeds("run", "-d", "--name", "neighbour", IMAGE, "sleep", "600");
        canald.succeeds("run", "-d", "--name", "stranger", "--network", "other", IMAGE, "sleep", "600");
        canald.succeeds(
                "run", "-d", "--name", "frontweb", "--network", "front", "-p", "8081:80", IMAGE, "sh", "-c", SERVER);
        awaitServer("http://127.0.0.1:8080/cgi-bin/peer");
        awaitServer("http://127.0.0.1:8081/cgi-bin/peer");

        // Who asks, and where: the client's address the published container sees.
        var expected = new LinkedHashMap<String, String>();
        // The host: 127.0.0.1 through the proxy, its own addresses DNAT'ed with their source.
        expected.put("host -> 127.0.0.1:8080", "172.17.0.1");
        expected.put("host -> 172.17.0.1:8080", "172.17.0.1");
        expected.put("host -> " + HOST_ADDRESS + ":8080", HOST_ADDRESS);
        // From a bridge network, always the proxy: it connects from the published network's gateway.
        expected.put("neighbour -> 172.17.0.1:8080", "172.17.0.1");
        expected.put("neighbour -> " + HOST_ADDRESS + ":8080", "172.17.0.1");
        expected.put("web -> 172.17.0.1:8080", "172.17.0.1");
        expected.put("web -> " + HOST_ADDRESS + ":8080", "172.17.0.1");
        expected.put("stranger -> 10.230.0.1:8080", "172.17.0.1");
        expected.put("stranger -> " + HOST_ADDRESS + ":8080", "172.17.0.1");
        expected.put("stranger -> " + HOST_ADDRESS + ":8081", "10.231.0.1");
        expected.put("frontweb -> 10.231.0.1:8081", "10.231.0.1");
        expected.put("frontweb -> " + HOST_ADDRESS + ":8080", "172.17.0.1");

        var seen = new LinkedHashMap<String, String>();
        for (String probe : expected.keySet()) {
            String[] parts = probe.split(" -> ");
            seen.put(probe, peerSeenBy(parts[0], "http://" + parts[1] + "/cgi-bin/peer"));
        }
        assertEquals(expected, seen, canald.rules());

        canald.succeeds("rm", "-f", "web", "neighbour", "stranger", "frontweb");
        canald.succeeds("network", "rm", "other", "front");
    }

    @Test
    void aContainerOnAnotherNetworkReachesAPublishedUdpPortThroughTheRelay() throws Exception {
        canald.succeeds("network", "create", "--subnet", "10.232.0.0/24", "udpnet");
        canald.succeeds("run", "-d", "--name", "udp", "-p", "5353:53/udp", IMAGE, "sleep", "600");
        canald.succeeds("run", "-d", "--name", "udpclient", "--network", "udpnet", IMAGE, "sleep", "600");
        // busybox has no UDP server nor client: the test's sockets, opened in the containers' namespaces.
        var senders = ConcurrentHashMap.<SocketAddress>newKeySet();
        try (NetworkNamespace server = NetworkNamespace.ofPid(pid("udp"));
                DatagramSocket echo = server.call(() -> UdpEcho.socket(new InetSocketAddress(53)));
                NetworkNamespace client = NetworkNamespace.ofPid(pid("udpclient"));
                DatagramSocket asking = client.call(() -> UdpEcho.socket(new InetSocketAddress(0)))) {
            Thread.ofVirtual().start(() -> UdpEcho.serve(echo, senders));
            for (String address : List.of(HOST_ADDRESS, "10.232.0.1", "172.17.0.1")) {
                byte[] hello = address.getBytes(StandardCharsets.US_ASCII);
                asking.send(new DatagramPacket(
                        hello, hello.length, new InetSocketAddress(InetAddress.ofLiteral(address), 5353)));
                asking.setSoTimeout(10_000); // bounds a lost datagram; nothing is timed
                var answer = new DatagramPacket(new byte[512], 512);
                asking.receive(answer);
                assertEquals(
                        "echo " + address,
                        new String(answer.getData(), 0, answer.getLength(), StandardCharsets.US_ASCII));
            }
        }
        // The relay sends from the host, by canal0: the container sees the default network's gateway.
        assertEquals(
                Set.of(InetAddress.ofLiteral("172.17.0.1")),
                senders.stream()
                        .map(sender -> ((InetSocketAddress) sender).getAddress())
                        .collect(Collectors.toSet()));

        canald.succeeds("rm", "-f", "udp", "udpclient");
        canald.succeeds("network", "rm", "udpnet");
    }

    private static long pid(String container) throws Exception {
        return Long.parseLong(canald.succeeds("inspect", "--format", "{{.State.Pid}}", container));
    }

    /**
     * The client address the server at {@code url} reports to {@code client} (a container's name,
     * or "host" for canald's namespace), or what failed. busybox httpd listens on IPv6, so it
     * writes an IPv4 client as {@code [::ffff:A.B.C.D]}.
     */
    private static String peerSeenBy(String client, String url) throws Exception {
        var result = client.equals("host")
                ? canald.inside("busybox", "wget", "-q", "-O", "-", url)
                // busybox 1.35's wget crashes with -T: timeout(1) bounds a dropped connection.
                : canald.docker("exec", client, "timeout", "5", "wget", "-q", "-O", "-", url);
        if (result.exitCode() != 0) {
            return "failed (" + result.exitCode() + "): " + result.stderr().strip();
        }
        return result.stdout().strip().replace("[", "").replace("]", "").replace("::ffff:", "");
    }

    /** Polls until the published server answers on {@code url} (bounded: it is starting). */
    private static void awaitServer(String url) throws Exception {
        var result = canald.inside("busybox", "wget", "-q", "-O", "-", url);
        for (int attempt = 0; attempt < 50 && result.exitCode() != 0; attempt++) {
            Thread.sleep(200);
            result = canald.inside("busybox", "wget", "-q", "-O", "-", url);
        }
        assertEquals(0, result.exitCode(), url + ": " + result.stderr());
    }

    /** {@code command} in canald's network namespace, which must succeed. */
    private static void inside(String... command) throws Exception {
        var result = canald.inside(command);
        assertEquals(0, result.exitCode(), String.join(" ", command) + ": " + result.stderr());
    }
}
