package dev.canal.runtime.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.testing.NamespaceCommands;
import dev.canal.runtime.testing.RequiresRoot;
import dev.canal.runtime.testing.ScratchNetworkNamespace;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Canal's nf_tables table against the real kernel, in a namespace of the test's own, read
 * back both through Canal's own dumps and through {@code nft -j} run inside that namespace.
 */
@RequiresRoot
class FirewallTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final BridgeNetwork front = network("front", "canal-a", "10.201.0.1/24");
    private final BridgeNetwork back = network("back", "canal-b", "10.202.0.1/24");

    private NetworkNamespace namespace;
    private NetlinkSocket socket;
    private Firewall firewall;

    @BeforeEach
    void namespace() {
        namespace = ScratchNetworkNamespace.create();
        socket = namespace.openSocket(Netlink.NETLINK_NETFILTER);
        firewall = new Firewall(socket);
    }

    @AfterEach
    void close() {
        socket.close();
        namespace.close();
    }

    @Test
    void aNetworksRulesAreWhatNftReadsBack() {
        assertFalse(firewall.exists());

        firewall.add(NetworkRules.forNetwork(front));

        JsonNode table = nft("-j", "list", "table", "inet", "canal");
        assertEquals(
                Set.of("prerouting", "output", "published", "postrouting", "forward", "isolation"),
                objects(table, "chain").stream()
                        .map(c -> c.get("name").asString())
                        .collect(Collectors.toSet()));
        JsonNode postrouting = objects(table, "chain").stream()
                .filter(c -> c.get("name").asString().equals("postrouting"))
                .findFirst()
                .orElseThrow();
        assertEquals("nat", postrouting.get("type").asString());
        assertEquals("postrouting", postrouting.get("hook").asString());
        assertEquals(100, postrouting.get("prio").asInt());
        JsonNode masquerade =
                rule(table, "canal network front: masquerade 10.201.0.0/24 leaving by other than canal-a");
        assertEquals("postrouting", masquerade.get("chain").asString());
        String expressions = masquerade.get("expr").toString();
        assertTrue(expressions.contains("{\"prefix\":{\"addr\":\"10.201.0.0\",\"len\":24}}"), expressions);
        assertTrue(
                expressions.contains("{\"op\":\"!=\",\"left\":{\"meta\":{\"key\":\"oifname\"}},\"right\":\"canal-a\"}"),
                expressions);
        assertTrue(expressions.contains("\"masquerade\""), expressions);
        String isolation =
                rule(table, "canal network front: drop to canal-a").get("expr").toString();
        assertTrue(isolation.contains("\"right\":\"canal-a\"") && isolation.contains("\"drop\""), isolation);

        var installed =
                firewall.rules().stream().map(Firewall.InstalledRule::comment).toList();
        assertEquals(objects(table, "rule").size(), installed.size());
        assertTrue(installed.containsAll(NetworkRules.forNetwork(front).stream()
                .map(FirewallRule::comment)
                .toList()));
    }

    @Test
    void aPublishedPortIsADnatToTheContainerForBothProtocols() {
        var endpoint = new Endpoint(
                "c1",
                "eth0",
                List.of(IpPrefix.parse("address", "10.201.0.2/24")),
                true,
                List.of(
                        new PortMapping("tcp", null, 8080, 80),
                        new PortMapping("udp", IpPrefix.literal("host ip", "10.203.0.1"), 5353, 53)));

        firewall.add(NetworkRules.forPorts(front, endpoint));

        JsonNode table = nft("-j", "list", "table", "inet", "canal");
        String tcp = rule(table, "canal container c1 on front: tcp *:8080->80 to 10.201.0.2 via canal-a")
                .get("expr")
                .toString();
        assertTrue(tcp.contains("{\"payload\":{\"protocol\":\"tcp\",\"field\":\"dport\"}},\"right\":8080}"), tcp);
        assertTrue(tcp.contains("\"dnat\":{\"family\":\"ip\",\"addr\":\"10.201.0.2\",\"port\":80}"), tcp);
        String udp = rule(table, "canal container c1 on front: udp 10.203.0.1:5353->53 to 10.201.0.2 via canal-a")
                .get("expr")
                .toString();
        assertTrue(udp.contains("\"right\":\"10.203.0.1\""), udp);
        assertTrue(udp.contains("{\"payload\":{\"protocol\":\"udp\",\"field\":\"dport\"}},\"right\":5353}"), udp);
        assertTrue(udp.contains("\"port\":53"), udp);
    }

    @Test
    void aNetworksReturnFromPublishedGoesBeforeThePortsAddedEarlier() {
        var endpoint = new Endpoint(
                "c1",
                "eth0",
                List.of(IpPrefix.parse("address", "10.201.0.2/24")),
                true,
                List.of(new PortMapping("tcp", null, 8080, 80)));
        firewall.add(NetworkRules.forNetwork(front));
        firewall.add(NetworkRules.forPorts(front, endpoint));
        firewall.add(NetworkRules.forNetwork(back));

        JsonNode table = nft("-j", "list", "chain", "inet", "canal", "published");
        assertEquals(
                List.of(
                        "canal network back: from canal-b -> return, not DNAT'ed: the daemon's proxy answers",
                        "canal network front: from canal-a -> return, not DNAT'ed: the daemon's proxy answers",
                        "canal container c1 on front: tcp *:8080->80 to 10.201.0.2 via canal-a"),
                objects(table, "rule").stream()
                        .map(r -> r.get("comment").asString())
                        .toList(),
                "the chain in order: returns first, whenever added");
        String back = objects(table, "rule").getFirst().get("expr").toString();
        assertTrue(
                back.contains("{\"op\":\"==\",\"left\":{\"meta\":{\"key\":\"iifname\"}},\"right\":\"canal-b\"}"), back);
        assertTrue(back.contains("{\"return\":null}"), back);
    }

    @Test
    void reconcileAddsWhatIsMissingRemovesWhatIsStaleAndLeavesTheRestAlone() {
        firewall.add(NetworkRules.forNetwork(front));
        firewall.add(NetworkRules.forNetwork(back));
        var before = firewall.rules();
        long masqueradeHandle = handle(before, "canal network front: masquerade");
        long isolationHandle = handle(before, "canal network front: drop to");
        // By hand: one of Canal's rules deleted, one stale rule of a network that is gone.
        NamespaceCommands.run(
                namespace,
                "nft",
                "delete",
                "rule",
                "inet",
                "canal",
                "isolation",
                "handle",
                Long.toString(isolationHandle));
        NamespaceCommands.run(
                namespace,
                "nft",
                "add",
                "rule",
                "inet",
                "canal",
                "forward",
                "iifname",
                "gone0",
                "drop",
                "comment",
                "\"canal network gone: left by a crash\"");

        firewall.reconcile(NetworkRules.forNetwork(front));

        var after = firewall.rules();
        var comments = after.stream().map(Firewall.InstalledRule::comment).collect(Collectors.toSet());
        var expected = new ArrayList<String>();
        NetworkRules.chainJumps().forEach(r -> expected.add(r.comment()));
        NetworkRules.forNetwork(front).forEach(r -> expected.add(r.comment()));
        assertEquals(Set.copyOf(expected), comments);
        assertEquals(expected.size(), after.size(), "no rule twice");
        assertEquals(masqueradeHandle, handle(after, "canal network front: masquerade"), "a kept rule is untouched");
    }

    @Test
    void tablesCanalDidNotMakeAreNeverTouched() {
        NamespaceCommands.run(namespace, "nft", "add", "table", "ip", "theirs");
        NamespaceCommands.run(
                namespace,
                "nft",
                "add",
                "chain",
                "ip",
                "theirs",
                "input",
                "{ type filter hook input priority 0; policy accept; }");
        NamespaceCommands.run(namespace, "nft", "add", "rule", "ip", "theirs", "input", "counter");
        String theirs = NamespaceCommands.run(namespace, "nft", "list", "table", "ip", "theirs");

        firewall.add(NetworkRules.forNetwork(front));
        firewall.reconcile(List.of());
        firewall.delete();

        assertFalse(firewall.exists());
        assertEquals(theirs, NamespaceCommands.run(namespace, "nft", "list", "table", "ip", "theirs"));
    }

    @Test
    void aCanalTableSomeoneElseMadeIsRefused() {
        NamespaceCommands.run(namespace, "nft", "add", "table", "inet", "canal");

        var refused = assertThrows(IllegalStateException.class, () -> firewall.add(NetworkRules.forNetwork(front)));
        assertTrue(
                refused.getMessage().startsWith("nftables table inet canal exists but Canal did not make it"),
                refused.getMessage());
        assertThrows(IllegalStateException.class, firewall::delete);
        assertTrue(NamespaceCommands.run(namespace, "nft", "list", "tables").contains("table inet canal"));
    }

    @Test
    void deleteRemovesTheTableAndRemovingAnOwnerRemovesOnlyItsRules() {
        firewall.add(NetworkRules.forNetwork(front));
        firewall.add(NetworkRules.forNetwork(back));

        firewall.removeIf(NetworkRules.ofNetwork("back"));
        assertTrue(firewall.rules().stream().noneMatch(r -> r.comment().startsWith("canal network back:")));
        assertTrue(firewall.rules().stream().anyMatch(r -> r.comment().startsWith("canal network front:")));

        firewall.delete();
        assertFalse(firewall.exists());
        assertFalse(NamespaceCommands.run(namespace, "nft", "list", "tables").contains("canal"));
        firewall.delete(); // nothing left to delete is not an error
    }

    @Test
    void aRefusedBatchNamesTheOperationAndChangesNothing() {
        firewall.add(NetworkRules.forNetwork(front));
        var before = firewall.rules();
        var bad = new FirewallRule(
                "no-such-chain",
                "canal test: a rule for a chain that is not there",
                NftMatches.outputInterface(true, "canal-a"));

        var refused = assertThrows(NetlinkException.class, () -> firewall.add(List.of(bad)));
        assertEquals(linux_h.ENOENT(), refused.errno());
        assertTrue(
                refused.getMessage()
                        .startsWith("add firewall rules: add rule to chain no-such-chain"
                                + " \"canal test: a rule for a chain that is not there\": ENOENT"),
                refused.getMessage());
        assertEquals(before, firewall.rules(), "the batch was applied all or nothing");
    }

    private JsonNode nft(String... arguments) {
        var command = new ArrayList<String>(List.of("nft"));
        command.addAll(List.of(arguments));
        return JSON.readTree(NamespaceCommands.run(namespace, command.toArray(String[]::new)));
    }

    private static List<JsonNode> objects(JsonNode listing, String kind) {
        var found = new ArrayList<JsonNode>();
        listing.get("nftables").forEach(item -> {
            if (item.has(kind)) {
                found.add(item.get(kind));
            }
        });
        return found;
    }

    private static JsonNode rule(JsonNode listing, String comment) {
        return objects(listing, "rule").stream()
                .filter(r -> r.has("comment") && r.get("comment").asString().equals(comment))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no rule \"" + comment + "\" in " + listing));
    }

    private static long handle(List<Firewall.InstalledRule> rules, String commentStart) {
        return rules.stream()
                .filter(r -> r.comment().startsWith(commentStart))
                .findFirst()
                .orElseThrow()
                .handle();
    }

    static BridgeNetwork network(String name, String bridge, String gateway) {
        return new BridgeNetwork(name, bridge, List.of(IpPrefix.parse("gateway", gateway)), 0, false);
    }
}
