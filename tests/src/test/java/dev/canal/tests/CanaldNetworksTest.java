package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.net.NetworkNamespace;
import dev.canal.runtime.testing.RequiresRoot;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Bridge networks through canald and the docker CLI (issue 17): user networks, the default
 * {@code bridge} network, published ports, bad input, and addresses kept across a restart. Every
 * canald here runs in a network namespace of the test's own ({@link NetworkedCanald}); traffic
 * goes to 127.0.0.1 and to container addresses that exist only in it.
 */
@RequiresRoot
class CanaldNetworksTest {

    private static final String IMAGE = "canal-net-busybox";

    private static NetworkedCanald canald;

    @BeforeAll
    static void canaldInANetworkNamespaceOfItsOwn() throws Exception {
        canald = NetworkedCanald.startWithImage(IMAGE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (canald != null) {
            canald.close();
        }
    }

    @Test
    void containersOnOneUserNetworkReachEachOtherAndLeaveNothing() throws Exception {
        String id = canald.succeeds("network", "create", "--subnet", "10.201.0.0/24", "front");
        assertEquals(
                "10.201.0.0/24 10.201.0.1 bridge",
                canald.succeeds(
                        "network",
                        "inspect",
                        "--format",
                        "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}} {{.Driver}}",
                        "front"));
        String bridge = "br-" + id.substring(0, 12);
        assertTrue(canald.links().contains(bridge), canald.links());

        canald.succeeds("run", "-d", "--name", "one", "--network", "front", IMAGE, "sleep", "600");
        assertEquals(
                "10.201.0.2",
                canald.succeeds("inspect", "--format", "{{.NetworkSettings.Networks.front.IPAddress}}", "one"));
        assertTrue(canald.succeeds("network", "inspect", "--format", "{{json .Containers}}", "front")
                .contains("\"IPv4Address\":\"10.201.0.2/24\""));

        var b = canald.docker(
                "run",
                "--rm",
                "--network",
                "front",
                "--ip",
                "10.201.0.9",
                "--hostname",
                "bee",
                "--add-host",
                "alpha:10.201.0.2",
                IMAGE,
                "sh",
                "-c",
                "cat /etc/hostname /etc/hosts && ip route && ping -c 1 -W 5 alpha");
        assertEquals(0, b.exitCode(), b.stdout() + b.stderr());
        List<String> lines = b.stdout().lines().toList();
        assertEquals("bee", lines.getFirst());
        assertTrue(lines.contains("10.201.0.9\tbee"), b.stdout());
        assertTrue(lines.contains("10.201.0.2\talpha"), b.stdout());
        assertTrue(b.stdout().contains("default via 10.201.0.1 dev eth0"), b.stdout());
        assertTrue(b.stdout().contains("1 packets received"), b.stdout());

        canald.succeeds("rm", "-f", "one");
        assertFalse(canald.rules().contains("canal container"), canald.rules());
        awaitNoContainerVeth();
        canald.succeeds("network", "rm", "front");
        assertFalse(canald.links().contains(bridge), canald.links());
        assertFalse(canald.rules().contains("network front"), canald.rules());
    }

    @Test
    void aRunningContainerConnectedToASecondNetworkReachesItThroughEth1() throws Exception {
        canald.succeeds("network", "create", "--subnet", "10.204.0.0/24", "left");
        canald.succeeds("network", "create", "--subnet", "10.205.0.0/24", "right");
        canald.succeeds("run", "-d", "--name", "router", "--network", "left", IMAGE, "sleep", "600");
        canald.succeeds("network", "connect", "--ip", "10.205.0.7", "right", "router");
        assertEquals(
                "10.204.0.2 10.205.0.7",
                canald.succeeds(
                        "inspect",
                        "--format",
                        "{{.NetworkSettings.Networks.left.IPAddress}} {{.NetworkSettings.Networks.right.IPAddress}}",
                        "router"));
        var eth1 = canald.docker("exec", "router", "sh", "-c", "ip -4 addr show eth1; ip route");
        assertTrue(eth1.stdout().contains("inet 10.205.0.7/24"), eth1.stdout() + eth1.stderr());
        assertTrue(
                eth1.stdout().contains("default via 10.204.0.1 dev eth0"), "the first network keeps the default route");
        var fromRight =
                canald.docker("run", "--rm", "--network", "right", IMAGE, "ping", "-c", "1", "-W", "5", "10.205.0.7");
        assertEquals(0, fromRight.exitCode(), fromRight.stdout() + fromRight.stderr());

        var twice = canald.docker("network", "connect", "right", "router");
        assertTrue(
                twice.stderr().contains("endpoint with name router already exists in network right"), twice.stderr());
        canald.succeeds("network", "disconnect", "right", "router");
        var gone = canald.docker("exec", "router", "ip", "link", "show", "eth1");
        assertNotEquals(0, gone.exitCode(), gone.stdout());
        assertFalse(canald.links()
                .contains("canal container " + canald.succeeds("inspect", "--format", "{{.Id}}", "router")
                        + " on right"));
        var busy = canald.docker("network", "rm", "left");
        assertTrue(busy.stderr().contains("has active endpoints"), busy.stderr());

        canald.succeeds("rm", "-f", "router");
        canald.succeeds("network", "rm", "left", "right");
    }

    /**
     * {@code docker run --network a --network b} (API 1.44 and later, which canald speaks): the
     * container is on both, the first through eth0 with the default route. Before, canald took
     * the first and dropped the others without a word; a network that does not exist fails the
     * run and leaves no container.
     */
    @Test
    void aContainerRunOnTwoNetworksIsOnBoth() throws Exception {
        canald.succeeds("network", "create", "--subnet", "10.218.0.0/24", "first");
        canald.succeeds("network", "create", "--subnet", "10.219.0.0/24", "second");
        var both = canald.docker(
                "run",
                "--rm",
                "--network",
                "first",
                "--network",
                "name=second,ip=10.219.0.9",
                IMAGE,
                "sh",
                "-c",
                "ip -4 -o addr show eth0; ip -4 -o addr show eth1; ip route");
        assertEquals(0, both.exitCode(), both.stderr());
        assertTrue(both.stdout().contains("eth0    inet 10.218.0.2/24"), both.stdout());
        assertTrue(both.stdout().contains("eth1    inet 10.219.0.9/24"), both.stdout());
        assertTrue(both.stdout().contains("default via 10.218.0.1 dev eth0"), both.stdout());

        String containers = canald.succeeds("ps", "-a", "-q");
        var missing = canald.docker("run", "--rm", "--network", "first", "--network", "nosuch", IMAGE, "true");
        assertEquals(125, missing.exitCode());
        assertTrue(missing.stderr().contains("network nosuch not found"), missing.stderr());
        assertEquals(containers, canald.succeeds("ps", "-a", "-q"));
        canald.succeeds("network", "rm", "first", "second");
    }

    /**
     * moby's ConnectToNetwork and DisconnectFromNetwork on a stopped container change what it
     * joins at its next start alone (daemon/container_operations.go), the network it was created
     * on included: left with none, it has its loopback only; a stopped container holds no
     * address, so the {@code --ip} it was created with is anyone's; and the network it left can
     * go without taking its start along. A running container disconnected from it stays off it
     * after a restart, as moby deletes the network from its settings then too. A connect to a
     * network the stopped container is on already succeeds and changes nothing.
     */
    @Test
    void aStoppedContainerLeavesTheNetworkItWasCreatedOnAndJoinsAnotherAtItsNextStart() throws Exception {
        canald.succeeds("network", "create", "--subnet", "10.226.0.0/24", "origin");
        canald.succeeds("network", "create", "--subnet", "10.227.0.0/24", "later");
        String networks =
                "{{range $name, $on := .NetworkSettings.Networks}}{{$name}}={{with $on.IPAMConfig}}{{.IPv4Address}}{{end}};{{end}}";
        canald.succeeds(
                "create",
                "--name",
                "mover",
                "--network",
                "origin",
                "--ip",
                "10.226.0.9",
                IMAGE,
                "sh",
                "-c",
                "ip -4 -o addr; ip route");
        assertEquals("origin=10.226.0.9;", canald.succeeds("inspect", "--format", networks, "mover"));
        // Connected already and stopped: moby's "Avoid duplicate config", success and no change
        // (dockerd 20.10, 2026-12-08: exit 0, the first --ip kept), canald refused it before.
        canald.succeeds("network", "connect", "origin", "mover");
        canald.succeeds("network", "connect", "--alias", "again", "--ip", "10.226.0.20", "origin", "mover");
        assertEquals("origin=10.226.0.9;", canald.succeeds("inspect", "--format", networks, "mover"));
        canald.succeeds("create", "--name", "loner", "--network", "none", IMAGE, "true");
        canald.succeeds("network", "connect", "none", "loner");
        canald.succeeds("rm", "loner");

        canald.succeeds("network", "disconnect", "origin", "mover");
        assertEquals("", canald.succeeds("inspect", "--format", networks, "mover"));
        var twice = canald.docker("network", "disconnect", "origin", "mover");
        assertNotEquals(0, twice.exitCode());
        assertTrue(twice.stderr().contains("is not connected to the network origin"), twice.stderr());
        var alone = canald.docker("start", "-a", "mover");
        assertEquals(0, alone.exitCode(), alone.stderr());
        assertTrue(alone.stdout().contains("lo    inet 127.0.0.1/8"), alone.stdout());
        assertFalse(alone.stdout().contains("eth0"), alone.stdout());
        assertFalse(alone.stdout().contains("default"), alone.stdout());
        canald.succeeds("run", "--rm", "--network", "origin", "--ip", "10.226.0.9", IMAGE, "true");

        canald.succeeds("network", "connect", "--ip", "10.227.0.7", "later", "mover");
        assertEquals("later=10.227.0.7;", canald.succeeds("inspect", "--format", networks, "mover"));
        canald.succeeds("network", "rm", "origin");
        var moved = canald.docker("start", "-a", "mover");
        assertEquals(0, moved.exitCode(), moved.stderr());
        assertTrue(moved.stdout().contains("eth0    inet 10.227.0.7/24"), moved.stdout());
        assertTrue(moved.stdout().contains("default via 10.227.0.1 dev eth0"), moved.stdout());
        assertEquals("mover", canald.succeeds("ps", "-a", "--filter", "network=later", "--format", "{{.Names}}"));

        canald.succeeds("rm", "mover");

        canald.succeeds("run", "-d", "--name", "leaver", "--network", "later", IMAGE, "sleep", "600");
        canald.succeeds("network", "disconnect", "later", "leaver");
        canald.succeeds("stop", "-t", "0", "leaver");
        assertEquals("", canald.succeeds("inspect", "--format", networks, "leaver"));
        canald.succeeds("start", "leaver");
        var restarted = canald.docker("exec", "leaver", "ip", "-4", "-o", "addr");
        assertFalse(
                restarted.stdout().contains("eth0"),
                "a running container disconnected stays off: " + restarted.stdout());
        canald.succeeds("rm", "-f", "leaver");
        canald.succeeds("network", "rm", "later");
    }

    /**
     * moby's /etc/hosts at network connect and disconnect (libnetwork sandbox updateHostsFile,
     * etchosts.Add and Delete): a line with the new address and the host name (and its first
     * label) is appended while the container runs, goes at disconnect, and is written again
     * at the next start of a container that stayed connected.
     */
    @Test
    void aNetworkConnectedToARunningContainerPutsItsAddressInItsHostsFile() throws Exception {
        canald.succeeds("network", "create", "--subnet", "10.212.0.0/24", "home");
        canald.succeeds("network", "create", "--subnet", "10.213.0.0/24", "guest");
        canald.succeeds(
                "run",
                "-d",
                "--name",
                "visitor",
                "--hostname",
                "visitor.example",
                "--network",
                "home",
                IMAGE,
                "sleep",
                "600");
        String started = canald.succeeds("exec", "visitor", "cat", "/etc/hosts");
        assertTrue(started.endsWith("10.212.0.2\tvisitor.example visitor"), started);
        String entry = "10.213.0.5\tvisitor.example visitor";

        canald.succeeds("network", "connect", "--ip", "10.213.0.5", "guest", "visitor");
        assertEquals(started + "\n" + entry, canald.succeeds("exec", "visitor", "cat", "/etc/hosts"));
        canald.succeeds("network", "disconnect", "guest", "visitor");
        assertEquals(started, canald.succeeds("exec", "visitor", "cat", "/etc/hosts"));

        canald.succeeds("network", "connect", "--ip", "10.213.0.5", "guest", "visitor");
        canald.succeeds("restart", "-t", "0", "visitor");
        assertEquals(started + "\n" + entry, canald.succeeds("exec", "visitor", "cat", "/etc/hosts"));

        canald.succeeds("rm", "-f", "visitor");
        canald.succeeds("network", "rm", "home", "guest");
    }

    @Test
    void publishedPortsAnswerOnLoopbackAndGoAwayWithTheContainer() throws Exception {
        canald.succeeds(
                "run",
                "-d",
                "--name",
                "web",
                "-p",
                "8080:80",
                "-p",
                "9000",
                IMAGE,
                "sh",
                "-c",
                "mkdir /www && echo hello from web > /www/index.html && httpd -f -p 80 -h /www");
        List<String> ports = Arrays.asList(canald.succeeds("port", "web").split("\n"));
        assertTrue(ports.contains("80/tcp -> 0.0.0.0:8080"), ports.toString());
        String free = ports.stream()
                .filter(line -> line.startsWith("9000/tcp -> 0.0.0.0:"))
                .findFirst()
                .orElseThrow()
                .substring("9000/tcp -> 0.0.0.0:".length());
        assertNotEquals("0", free);
        assertEquals("172.17.0.2", canald.succeeds("inspect", "--format", "{{.NetworkSettings.IPAddress}}", "web"));

        // 127.0.0.1 through the daemon's proxy; the bridge's own address through the DNAT rule.
        assertEquals("hello from web\n", fetchWhenUp("http://127.0.0.1:8080/"));
        assertEquals("hello from web\n", fetchWhenUp("http://172.17.0.1:8080/"));
        assertTrue(canald.rules().contains("tcp dport 8080"), canald.rules());
        assertTrue(canald.rules().contains("tcp dport " + free), canald.rules());

        String rules = canald.rules();
        var taken = canald.docker("run", "--rm", "-p", "8080:80", IMAGE, "true");
        assertEquals(125, taken.exitCode());
        assertTrue(taken.stderr().contains("Bind for 0.0.0.0:8080 failed: port is already allocated"), taken.stderr());
        assertEquals(rules, canald.rules());

        canald.succeeds("rm", "-f", "web");
        assertFalse(canald.rules().contains("canal container"), canald.rules());
        awaitNoContainerVeth();
        assertNotEquals(0, wget("http://127.0.0.1:8080/").exitCode(), "port 8080 still answers after rm");
    }

    @Test
    void udpTo127001ReachesThePublishedPortOneFlowPerClient() throws Exception {
        canald.succeeds("run", "-d", "--name", "udp", "-p", "5353:53/udp", IMAGE, "sleep", "3600");
        long pid = Long.parseLong(canald.succeeds("inspect", "--format", "{{.State.Pid}}", "udp"));
        // busybox has no UDP server: the test's echo listens on port 53 in the container's namespace.
        var senders = ConcurrentHashMap.<SocketAddress>newKeySet();
        try (NetworkNamespace container = NetworkNamespace.ofPid(pid);
                DatagramSocket echo = container.call(() -> UdpEcho.socket(new InetSocketAddress(53)));
                NetworkNamespace daemons = canald.networkNamespace();
                DatagramSocket first = daemons.call(() -> UdpEcho.socket(new InetSocketAddress(0)));
                DatagramSocket second = daemons.call(() -> UdpEcho.socket(new InetSocketAddress(0)))) {
            Thread.ofVirtual().start(() -> UdpEcho.serve(echo, senders));
            var published = new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 5353);
            assertEquals(new Answer("echo one", published), ask(first, published, "one"));
            assertEquals(new Answer("echo two", published), ask(second, published, "two"));
            assertEquals(new Answer("echo again", published), ask(first, published, "again"));
            assertEquals(2, senders.size(), "one socket towards the container per client: " + senders);
        }
        canald.succeeds("rm", "-f", "udp");
        try (NetworkNamespace daemons = canald.networkNamespace();
                DatagramSocket released = daemons.call(
                        () -> UdpEcho.socket(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 5353)))) {
            assertEquals(5353, released.getLocalPort(), "rm released the published UDP port");
        }
    }

    private record Answer(String text, SocketAddress from) {}

    /** Sends {@code text} from {@code client} to {@code to} and waits (bounded, not timed) for one answer. */
    private static Answer ask(DatagramSocket client, InetSocketAddress to, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        client.send(new DatagramPacket(bytes, bytes.length, to));
        client.setSoTimeout(10_000);
        var answer = new DatagramPacket(new byte[512], 512);
        client.receive(answer);
        return new Answer(
                new String(answer.getData(), 0, answer.getLength(), StandardCharsets.US_ASCII),
                answer.getSocketAddress());
    }

    /**
     * The veth of a container that ended is deleted in the background, and its address is
     * free only once the veth is gone: on a network with one address, two {@code run --rm} in
     * a row both get it (the second waits for the first's veth), and {@code network rm} right
     * after leaves neither veth nor bridge.
     */
    @Test
    void aNetworkOfOneAddressServesOneRunAfterTheOther() throws Exception {
        String id = canald.succeeds("network", "create", "--subnet", "10.216.0.0/30", "tiny");
        for (String run : List.of("first", "second")) {
            var result = canald.docker("run", "--rm", "--network", "tiny", IMAGE, "ip", "-4", "addr", "show", "eth0");
            assertEquals(0, result.exitCode(), run + ": " + result.stderr() + canald.log());
            assertTrue(result.stdout().contains("inet 10.216.0.2/30"), run + ": " + result.stdout());
        }
        canald.succeeds("network", "rm", "tiny");
        assertFalse(canald.links().contains("canal container"), canald.links());
        assertFalse(canald.links().contains("br-" + id.substring(0, 12)), canald.links());
    }

    /** docker's IPAM with {@code --ip-range}: the range's first address is handed out first, as moby's. */
    @Test
    void anIpRangeHandsOutItsFirstAddressFirst() throws Exception {
        canald.succeeds(
                "network",
                "create",
                "--subnet",
                "10.217.0.0/24",
                "--gateway",
                "10.217.0.254",
                "--ip-range",
                "10.217.0.128/25",
                "ranged");
        assertEquals(
                "10.217.0.0/24 10.217.0.254 10.217.0.128/25",
                canald.succeeds(
                        "network",
                        "inspect",
                        "--format",
                        "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}} {{.IPRange}}{{end}}",
                        "ranged"));
        var first = canald.docker(
                "run", "--rm", "--network", "ranged", IMAGE, "sh", "-c", "ip -4 addr show eth0; ip route");
        assertEquals(0, first.exitCode(), first.stderr());
        assertTrue(first.stdout().contains("inet 10.217.0.128/24"), first.stdout());
        assertTrue(first.stdout().contains("default via 10.217.0.254"), first.stdout());
        canald.succeeds("network", "rm", "ranged");
    }

    /**
     * moby refuses {@code --ip} on a network whose subnet the daemon chose from its pools, in
     * {@code docker run} and in {@code docker network connect}: such a subnet is not the user's
     * to count on. Before, canald handed the address out.
     */
    @Test
    void anAddressOfTheUsersChoiceNeedsASubnetOfTheUsersChoice() throws Exception {
        canald.succeeds("network", "create", "pooled");
        String subnet =
                canald.succeeds("network", "inspect", "--format", "{{range .IPAM.Config}}{{.Subnet}}{{end}}", "pooled");
        String inside = subnet.substring(0, subnet.lastIndexOf('.')) + ".50";
        String refusal = "user specified IP address is supported only when connecting to networks with user"
                + " configured subnets";
        var run = canald.docker("run", "--rm", "--network", "pooled", "--ip", inside, IMAGE, "true");
        assertEquals(125, run.exitCode());
        assertTrue(run.stderr().contains(refusal), run.stderr());
        canald.succeeds("run", "-d", "--name", "joiner", IMAGE, "sleep", "600");
        var connect = canald.docker("network", "connect", "--ip", inside, "pooled", "joiner");
        assertEquals(1, connect.exitCode());
        assertTrue(connect.stderr().contains(refusal), connect.stderr());
        canald.succeeds("rm", "-f", "joiner");
        canald.succeeds("network", "rm", "pooled");
    }

    @Test
    void badInputGetsDockersErrorAndLeavesNothing() throws Exception {
        awaitNoContainerVeth(); // another test's, being deleted: not this one's to compare
        String links = linksWithoutTheirState();
        String rules = canald.rules();
        String networks = canald.succeeds("network", "ls", "--format", "{{.Name}}");
        String containers = canald.succeeds("ps", "-a", "-q");

        var overlapping = canald.docker("network", "create", "--subnet", "172.17.3.0/24", "clash");
        assertEquals(1, overlapping.exitCode());
        assertEquals(
                "Error response from daemon: invalid pool request: Pool overlaps with other one on this address space",
                overlapping.stderr().strip());
        var hostBits = canald.docker("network", "create", "--subnet", "10.202.0.1/24", "bits");
        assertEquals(
                "Error response from daemon: invalid subnet 10.202.0.1/24 : it should be 10.202.0.0/24",
                hostBits.stderr().strip());
        var predefined = canald.docker("network", "rm", "bridge");
        assertTrue(
                predefined.stderr().contains("bridge is a pre-defined network and cannot be removed"),
                predefined.stderr());

        var unknown = canald.docker("run", "--rm", "--network", "nosuch", IMAGE, "true");
        assertEquals(125, unknown.exitCode());
        assertTrue(
                unknown.stderr().startsWith("docker: Error response from daemon: network nosuch not found"),
                unknown.stderr());
        var defaultBridgeIp = canald.docker("run", "--rm", "--ip", "172.17.0.50", IMAGE, "true");
        assertEquals(125, defaultBridgeIp.exitCode());
        assertTrue(
                defaultBridgeIp
                        .stderr()
                        .contains("user specified IP address is supported on user defined networks only"),
                defaultBridgeIp.stderr());

        var notThisHosts = canald.docker("run", "--rm", "-p", "10.98.0.1:8099:80", IMAGE, "true");
        assertEquals(125, notThisHosts.exitCode());
        assertTrue(
                notThisHosts
                        .stderr()
                        .contains("Error starting userland proxy: listen tcp4 10.98.0.1:8099: bind: cannot assign"
                                + " requested address"),
                notThisHosts.stderr());

        assertEquals(networks, canald.succeeds("network", "ls", "--format", "{{.Name}}"));
        assertEquals(containers, canald.succeeds("ps", "-a", "-q"));
        assertEquals(links, linksWithoutTheirState());
        assertEquals(rules, canald.rules());
    }

    /**
     * canald's links as ip(8) lists them, less the flags and state the kernel changes on its
     * own: once a bridge loses its last port the kernel turns its carrier off at once
     * (NO-CARRIER, LOWER_UP) but its operstate (RUNNING, "state UNKNOWN" to "state DOWN") only
     * when its linkwatch work runs, up to a second later (net/core/link_watch.c), so the same
     * links read differently for a while after another test's veth went. UP, which only canald
     * sets, stays compared.
     */
    private static String linksWithoutTheirState() throws Exception {
        return canald.links()
                .replaceAll("(?<=[<,])(NO-CARRIER|LOWER_UP|RUNNING|M-DOWN),?", "")
                .replaceAll(",>", ">")
                .replaceAll(" state [A-Z]+ ", " state - ");
    }

    /**
     * docker writes /etc/hostname, /etc/hosts and /etc/resolv.conf for every container (moby
     * libnetwork sandbox_dns_unix.go): on {@code none} the loopback names, {@code --add-host}
     * and the host's name servers; on {@code host} the host's /etc/hosts and resolv.conf as they
     * are. Before, such a container had the image's files, and busybox has none.
     */
    @Test
    void containersOnNoneAndHostGetTheirEtcFilesAsInDocker() throws Exception {
        var none = canald.docker(
                "run",
                "--rm",
                "--network",
                "none",
                "--hostname",
                "loner",
                "--add-host",
                "db:10.1.2.3",
                "--dns",
                "10.99.0.53",
                IMAGE,
                "sh",
                "-c",
                "cat /etc/hostname /etc/hosts /etc/resolv.conf");
        assertEquals(0, none.exitCode(), none.stderr());
        assertEquals("""
                loner
                127.0.0.1	localhost
                ::1	localhost ip6-localhost ip6-loopback
                fe00::	ip6-localnet
                ff00::	ip6-mcastprefix
                ff02::1	ip6-allnodes
                ff02::2	ip6-allrouters
                10.1.2.3	db
                nameserver 10.99.0.53
                """, none.stdout().replaceAll("search .*\n|options .*\n", ""));

        var host =
                canald.docker("run", "--rm", "--network", "host", IMAGE, "sh", "-c", "cat /etc/hosts /etc/resolv.conf");
        assertEquals(0, host.exitCode(), host.stderr());
        // canald's mount namespace is the machine's but for private mounts: these are the machine's files, read only.
        assertEquals(canald.inside("cat", "/etc/hosts", "/etc/resolv.conf").stdout(), host.stdout());
    }

    /**
     * dockerd's {@code --default-address-pool}: without {@code --bip} the default bridge takes
     * the pool's first subnet, and a network created without {@code --subnet} the next one. A
     * later start with another {@code --bip} moves the bridge there, its old address gone.
     */
    @Test
    void defaultAddressPoolsGiveTheSubnetsOfTheBridgeAndOfNewNetworksAndANewBipMovesTheBridge() throws Exception {
        try (var pooled =
                NetworkedCanald.startWithImage(IMAGE, "--default-address-pool", "base=10.230.0.0/16,size=24")) {
            assertEquals(
                    "10.230.0.0/24 10.230.0.1",
                    pooled.succeeds(
                            "network",
                            "inspect",
                            "--format",
                            "{{range .IPAM.Config}}{{.Subnet}} {{.Gateway}}{{end}}",
                            "bridge"));
            assertTrue(pooled.inside("ip", "-4", "-o", "addr", "show", "canal0")
                    .stdout()
                    .contains("10.230.0.1/24"));
            pooled.succeeds("network", "create", "pooled");
            assertEquals(
                    "10.230.1.0/24",
                    pooled.succeeds(
                            "network", "inspect", "--format", "{{range .IPAM.Config}}{{.Subnet}}{{end}}", "pooled"));
            pooled.succeeds("network", "rm", "pooled");

            // A new --bip at the next start re-addresses the bridge: the old address and its route go.
            pooled.stop();
            pooled.start("--bip", "10.231.0.1/24");
            assertEquals(
                    List.of("10.231.0.1/24"),
                    Arrays.stream(pooled.inside("ip", "-4", "-o", "addr", "show", "canal0")
                                    .stdout()
                                    .split("\\s+"))
                            .filter(word -> word.matches("[0-9.]+/[0-9]+"))
                            .toList());
            var container = pooled.docker("run", "--rm", IMAGE, "ip", "-4", "addr", "show", "eth0");
            assertTrue(container.stdout().contains("inet 10.231.0.2/24"), container.stdout() + container.stderr());
        }
    }

    @Test
    void anAddressHeldAcrossARestartIsNotHandedOutAgain() throws Exception {
        try (var restarted = NetworkedCanald.startWithImage(IMAGE, "--live-restore", "--bridge", "none")) {
            restarted.succeeds("network", "create", "--subnet", "10.203.0.0/24", "back");
            restarted.succeeds("run", "-d", "--name", "one", "--network", "back", IMAGE, "sleep", "600");
            restarted.stop();
            restarted.start("--live-restore", "--bridge", "none");

            var b = restarted.docker(
                    "run",
                    "--rm",
                    "--network",
                    "back",
                    IMAGE,
                    "sh",
                    "-c",
                    "ip -4 addr show eth0 && ping -c 1 -W 5 10.203.0.2");
            assertEquals(0, b.exitCode(), b.stdout() + b.stderr());
            assertTrue(b.stdout().contains("inet 10.203.0.3/24"), b.stdout());
            assertFalse(restarted.links().contains("canal0"), "--bridge none makes no default bridge");
            restarted.succeeds("rm", "-f", "one");
            restarted.succeeds("network", "rm", "back");
        }
    }

    @Test
    void whatACrashedDaemonLeftGoesAtTheNextStart() throws Exception {
        try (var crashed = NetworkedCanald.startWithImage(IMAGE)) {
            crashed.succeeds("run", "-d", "--name", "one", "-p", "8080:80", IMAGE, "sleep", "600");
            String pid = crashed.succeeds("inspect", "--format", "{{.State.Pid}}", "one");
            crashed.crash();
            // The container dies while no daemon watches: its namespace, and the veth with it, go.
            assertEquals(0, new ProcessBuilder("kill", "-9", pid).start().waitFor());
            assertTrue(crashed.rules().contains("canal container"), "the crash left the port rule");

            crashed.start();
            assertFalse(crashed.rules().contains("canal container"), crashed.rules());
            assertFalse(crashed.links().contains("canal container"), crashed.links());
            assertTrue(crashed.succeeds("inspect", "--format", "{{.State.Status}}", "one")
                    .startsWith("exited"));
            // Its address and its host port are free again.
            crashed.succeeds("run", "-d", "--name", "two", "-p", "8080:80", IMAGE, "sleep", "600");
            assertEquals(
                    "172.17.0.2", crashed.succeeds("inspect", "--format", "{{.NetworkSettings.IPAddress}}", "two"));
            crashed.succeeds("rm", "-f", "one", "two");
        }
    }

    /** Polls canald's links until no container's veth is left (bounded: the daemon deletes them in the background). */
    private static void awaitNoContainerVeth() throws Exception {
        String links = canald.links();
        for (int attempt = 0; attempt < 100 && links.contains("canal container"); attempt++) {
            Thread.sleep(50);
            links = canald.links();
        }
        assertFalse(links.contains("canal container"), "a container's veth outlived it by 5 s: " + links);
    }

    /** busybox wget (without -T: busybox 1.35 crashes with it) in canald's namespace, until the container's server answers (bounded: it is starting). */
    private static String fetchWhenUp(String url) throws Exception {
        CanalHome.Result result = wget(url);
        for (int attempt = 0; attempt < 50 && result.exitCode() != 0; attempt++) {
            Thread.sleep(200);
            result = wget(url);
        }
        assertEquals(0, result.exitCode(), url + ": " + result.stderr());
        return result.stdout();
    }

    private static CanalHome.Result wget(String url) throws Exception {
        return canald.inside("busybox", "wget", "-q", "-O", "-", url);
    }
}
