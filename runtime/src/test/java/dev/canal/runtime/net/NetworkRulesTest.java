package dev.canal.runtime.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The rules' comments: their owners, and their identity when names are long. */
class NetworkRulesTest {

    private static final String LONGEST_ID = "c".repeat(64);
    private static final BridgeNetwork LONGEST_NAME = new BridgeNetwork(
            "n".repeat(128), "canal-l", List.of(IpPrefix.parse("gateway", "fd00:1234:5678:9abc::1/64")), 0, false);

    @Test
    void theLongestNamesAndAddressesStillGiveDistinctCommentsThatKeepTheirOwner() {
        var hostAddress = IpPrefix.literal("host ip", "fd00:1234:5678:9abc:def0:1234:5678:9abc");
        var endpoint = new Endpoint(
                LONGEST_ID,
                "eth0",
                List.of(IpPrefix.parse("address", "fd00:1234:5678:9abc:def0:1234:5678:9abd/64")),
                true,
                List.of(
                        new PortMapping("udp", hostAddress, 65535, 65534),
                        new PortMapping("udp", hostAddress, 65535, 65533)));

        var rules = NetworkRules.forPorts(LONGEST_NAME, endpoint);

        assertEquals(2, rules.size());
        assertNotEquals(rules.get(0).comment(), rules.get(1).comment());
        for (var rule : rules) {
            assertTrue(rule.comment().length() <= 250, rule.comment());
            assertTrue(NetworkRules.ofContainer(LONGEST_ID, LONGEST_NAME.name()).test(rule.comment()), rule.comment());
        }
        assertTrue(NetworkRules.forNetwork(LONGEST_NAME).stream()
                .allMatch(rule -> NetworkRules.ofNetwork(LONGEST_NAME.name()).test(rule.comment())));
    }

    @Test
    void ownersDoNotMatchEachOthersRules() {
        var network = FirewallTest.network("front", "canal-a", "10.201.0.1/24");
        var endpoint = new Endpoint(
                "c1",
                "eth0",
                List.of(IpPrefix.parse("address", "10.201.0.2/24")),
                true,
                List.of(new PortMapping("tcp", null, 80, 80)));
        String comment = NetworkRules.forPorts(network, endpoint).getFirst().comment();

        assertTrue(NetworkRules.ofContainer("c1", "front").test(comment));
        assertTrue(!NetworkRules.ofContainer("c", "front").test(comment), "c is not c1");
        assertTrue(!NetworkRules.ofContainer("c1", "fron").test(comment));
        assertTrue(NetworkRules.forNetwork(network).stream()
                .noneMatch(rule -> NetworkRules.ofNetwork("fron").test(rule.comment())));
    }

    @Test
    void theHostEndOfAVethIsFifteenCharactersAndDiffersPerNetwork() {
        String a = NetworkRules.hostInterface(LONGEST_ID, "front");
        assertEquals(15, a.length());
        assertTrue(a.startsWith("cv"));
        assertNotEquals(a, NetworkRules.hostInterface(LONGEST_ID, "back"));
    }
}
