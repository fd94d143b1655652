package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.engine.dns.DnsQuery;
import dev.canal.runtime.net.NetworkNamespace;
import dev.canal.runtime.testing.RequiresRoot;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The embedded DNS server and {@code --network container:NAME} through canald and the docker
 * CLI (issue 17, name resolution). canald runs in a network and mount namespace of the test's
 * own ({@link NetworkedCanald}); there its /etc/resolv.conf is a bind mount naming 127.0.0.1,
 * where a {@link TestResolver} answers {@code outside.test}, so forwarded queries never leave
 * the namespace.
 */
@RequiresRoot
class CanaldNameResolutionTest {

    private static final String IMAGE = "canal-dns-busybox";

    private static NetworkedCanald canald;
    private static TestResolver resolver;

    @BeforeAll
    static void canaldWithAResolverOfTheTestsOwn() throws Exception {
        canald = NetworkedCanald.startWithImage(IMAGE);
        Path resolvConf = Files.createTempFile("canal-dns", ".conf");
        try {
            Files.writeString(resolvConf, "nameserver 127.0.0.1\n");
            // In the holder's private mount namespace: the machine's resolv.conf is untouched.
            var mounted = canald.inside("mount", "--bind", resolvConf.toString(), "/etc/resolv.conf");
            assertEquals(0, mounted.exitCode(), mounted.stderr());
        } finally {
            Files.delete(resolvConf);
        }
        try (NetworkNamespace namespace = canald.networkNamespace()) {
            resolver = TestResolver.start(namespace, Map.of("outside.test", InetAddress.ofLiteral("10.99.0.7")));
        }
        canald.succeeds("network", "create", "--subnet", "10.206.0.0/24", "front");
        canald.succeeds("network", "create", "--subnet", "10.207.0.0/24", "back");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (resolver != null) {
                resolver.close();
            }
        } finally {
            if (canald != null) {
                canald.close();
            }
        }
    }

    @Test
    void containersOnANetworkFindEachOtherByNameAliasAndShortIdAndOnlyThere() throws Exception {
        String id = canald.succeeds(
                "run", "-d", "--name", "web", "--network", "front", "--network-alias", "www", IMAGE, "sleep", "600");
        String shortId = id.substring(0, 12);
        var client = canald.docker(
                "run",
                "--rm",
                "--network",
                "front",
                IMAGE,
                "sh",
                "-c",
                "cat /etc/resolv.conf && nslookup web && nslookup WWW && nslookup " + shortId
                        + " && nslookup web.front && ping -c 1 -W 5 www");
        assertEquals(0, client.exitCode(), client.stdout() + client.stderr() + canald.log());
        assertTrue(client.stdout().startsWith("nameserver 127.0.0.11\noptions ndots:0\n"), client.stdout());
        assertEquals(
                4,
                client.stdout()
                        .lines()
                        .filter(l -> l.equals("Address: 10.206.0.2"))
                        .count(),
                client.stdout());
        assertTrue(client.stdout().contains("1 packets received"), client.stdout());

        var otherNetwork = canald.docker("run", "--rm", "--network", "back", IMAGE, "nslookup", "web");
        assertNotEquals(0, otherNetwork.exitCode(), otherNetwork.stdout());
        assertTrue(otherNetwork.stdout().contains("NXDOMAIN"), otherNetwork.stdout() + otherNetwork.stderr());
        assertTrue(resolver.asked().contains("web"), "a name the network does not know goes to the host's resolver");

        var overTcp = askOverTcp(id, "www");
        assertEquals(0, overTcp[3] & 0x0f, "NOERROR");
        assertEquals(
                "10.206.0.2",
                InetAddress.getByAddress(Arrays.copyOfRange(overTcp, overTcp.length - 4, overTcp.length))
                        .getHostAddress());

        canald.succeeds("rm", "-f", "web");
        var removed = canald.docker("run", "--rm", "--network", "front", IMAGE, "nslookup", "web");
        assertNotEquals(0, removed.exitCode(), removed.stdout());
        assertTrue(removed.stdout().contains("NXDOMAIN"), removed.stdout() + removed.stderr());
    }

    @Test
    void otherNamesAreForwardedToTheHostsResolverAndTheDefaultBridgeKeepsTheHostsFile() throws Exception {
        var outside = canald.docker("run", "--rm", "--network", "back", IMAGE, "nslookup", "outside.test");
        assertEquals(0, outside.exitCode(), outside.stdout() + outside.stderr());
        assertTrue(outside.stdout().contains("Address: 10.99.0.7"), outside.stdout());

        String defaultBridge = canald.succeeds("run", "--rm", IMAGE, "cat", "/etc/resolv.conf");
        assertFalse(defaultBridge.contains("127.0.0.11"), defaultBridge);
    }

    @Test
    void aContainerSharingAnothersNetworkHasItsInterfaceAndItsNameServer() throws Exception {
        canald.succeeds("run", "-d", "--name", "owner", "--network", "front", IMAGE, "sleep", "600");
        String address =
                canald.succeeds("inspect", "--format", "{{.NetworkSettings.Networks.front.IPAddress}}", "owner");
        String hostname = canald.succeeds("inspect", "--format", "{{.Config.Hostname}}", "owner");
        var guest = canald.docker(
                "run",
                "--rm",
                "--network",
                "container:owner",
                IMAGE,
                "sh",
                "-c",
                "hostname && ip -4 -o addr show eth0 && nslookup owner");
        assertEquals(0, guest.exitCode(), guest.stdout() + guest.stderr() + canald.log());
        assertEquals(hostname, guest.stdout().lines().findFirst().orElse(""), "the other container's host name");
        assertTrue(guest.stdout().contains("inet " + address + "/24"), guest.stdout());
        assertTrue(guest.stdout().contains("Address: " + address), guest.stdout());

        var ports = canald.docker("run", "--rm", "--network", "container:owner", "-p", "8080:80", IMAGE, "true");
        assertEquals(125, ports.exitCode());
        assertTrue(
                ports.stderr().contains("conflicting options: port publishing and the container type network mode"),
                ports.stderr());
        var ownName = canald.docker("run", "--rm", "--network", "container:owner", "-h", "x", IMAGE, "true");
        assertTrue(ownName.stderr().contains("conflicting options: hostname and the network mode"), ownName.stderr());

        canald.succeeds("stop", "-t", "1", "owner");
        var stopped = canald.docker("run", "--rm", "--network", "container:owner", IMAGE, "true");
        assertEquals(125, stopped.exitCode());
        assertTrue(
                stopped.stderr()
                        .contains(
                                "cannot join network namespace of a non running container: container owner is exited"),
                stopped.stderr());
        canald.succeeds("rm", "owner");
    }

    @Test
    void aContainerThatOutlivesACrashedDaemonIsAnsweredAgainAfterTheRestart() throws Exception {
        canald.succeeds("run", "-d", "--name", "survivor", "--network", "back", IMAGE, "sleep", "600");
        String address =
                canald.succeeds("inspect", "--format", "{{.NetworkSettings.Networks.back.IPAddress}}", "survivor");
        canald.crash();
        canald.start();
        var lookup = canald.docker("exec", "survivor", "nslookup", "survivor");
        assertEquals(0, lookup.exitCode(), lookup.stdout() + lookup.stderr() + canald.log());
        assertTrue(lookup.stdout().contains("Address: " + address), lookup.stdout());
        canald.succeeds("rm", "-f", "survivor");
    }

    @Test
    void anUnknownNetworkIsDockers404AtStartAndLeavesNothing() throws Exception {
        String containers = canald.succeeds("ps", "-a", "-q");
        var unknown = canald.docker("run", "--rm", "--network", "nosuch", IMAGE, "true");
        assertEquals(125, unknown.exitCode());
        assertEquals(
                "docker: Error response from daemon: network nosuch not found",
                unknown.stderr().lines().findFirst().orElse(""));
        assertEquals(containers, canald.succeeds("ps", "-a", "-q"), "--rm removed it");

        // As docker, create takes a network that does not exist (yet); start answers 404.
        String id = canald.succeeds("create", "--network", "nosuch", IMAGE, "true");
        var start = CanalHome.run(
                List.of(
                        "curl",
                        "-s",
                        "-w",
                        " %{http_code}",
                        "-X",
                        "POST",
                        "--unix-socket",
                        canald.socket().toString(),
                        "http://localhost/v1.50/containers/" + id + "/start"),
                Map.of(),
                CanaldLauncher.COMMAND_SECONDS);
        assertEquals(
                "{\"message\":\"network nosuch not found\"} 404", start.stdout().strip());
        canald.succeeds("rm", id);
    }

    /** An A query for {@code name} over TCP to 127.0.0.11:53, from a socket opened in the namespace of container {@code id}. */
    private static byte[] askOverTcp(String id, String name) throws Exception {
        long pid = Long.parseLong(canald.succeeds("inspect", "--format", "{{.State.Pid}}", id));
        try (NetworkNamespace container = NetworkNamespace.ofPid(pid);
                Socket socket = container.call(() -> {
                    try {
                        return new Socket(InetAddress.ofLiteral("127.0.0.11"), 53);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })) {
            byte[] query = ByteBuffer.allocate(12 + name.length() + 2 + 4)
                    .putShort((short) 0x5151)
                    .putShort((short) 0x0100)
                    .putShort((short) 1)
                    .put(new byte[6])
                    .put((byte) name.length())
                    .put(name.getBytes(StandardCharsets.US_ASCII))
                    .put((byte) 0)
                    .putShort((short) DnsQuery.A)
                    .putShort((short) 1)
                    .array();
            var out = new DataOutputStream(socket.getOutputStream());
            out.writeShort(query.length);
            out.write(query);
            out.flush();
            var in = new DataInputStream(socket.getInputStream());
            byte[] reply = in.readNBytes(in.readUnsignedShort());
            assertEquals(0x5151, DnsQuery.idOf(reply));
            return reply;
        }
    }
}
