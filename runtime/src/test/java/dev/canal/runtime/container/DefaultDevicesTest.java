package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.canal.runtime.oci.Linux;
import dev.canal.runtime.oci.Resources;
import dev.canal.runtime.oci.Spec;
import dev.canal.runtime.rootfs.RootfsPlan;
import java.util.List;
import org.junit.jupiter.api.Test;

/** runc's AllowedDevices as rules and as nodes, from the one list, without creating anything. */
class DefaultDevicesTest {

    private static Linux linux(String json) {
        return Spec.parse("{\"ociVersion\": \"1.2.1\", \"linux\": " + json + "}")
                .linux();
    }

    private static List<String> rules(Resources resources) {
        return resources.devices().stream()
                .map(rule -> (rule.allow() ? "allow " : "deny ") + rule.type() + " " + number(rule.major()) + ":"
                        + number(rule.minor()) + " " + rule.access())
                .toList();
    }

    private static String number(Long value) {
        return value == null ? "*" : value.toString();
    }

    @Test
    void denyAllIsFollowedByRuncsRulesInRuncsOrder() {
        Linux linux = linux("{\"resources\": {\"devices\": [{\"allow\": false, \"access\": \"rwm\"}]}}");
        assertEquals(
                List.of(
                        "deny null *:* rwm",
                        "allow c *:* m",
                        "allow b *:* m",
                        "allow c 1:3 rwm",
                        "allow c 1:8 rwm",
                        "allow c 1:7 rwm",
                        "allow c 5:0 rwm",
                        "allow c 1:5 rwm",
                        "allow c 1:9 rwm",
                        "allow c 136:* rwm",
                        "allow c 5:2 rwm",
                        "allow c 10:200 rwm"),
                rules(DefaultDevices.addTo(linux.resources(), linux)));
    }

    @Test
    void aDefaultThatTheSpecCreatesLosesItsRuleAndTheSpecsNodeGetsNone() {
        Linux linux = linux("{\"devices\": [{\"path\": \"/dev/tty\", \"type\": \"c\", \"major\": 4, \"minor\": 1}],"
                + " \"resources\": {\"devices\": [{\"allow\": false, \"access\": \"rwm\"}]}}");
        List<String> rules = rules(DefaultDevices.addTo(linux.resources(), linux));
        assertEquals(11, rules.size(), rules.toString());
        assertEquals(
                0,
                rules.stream()
                        .filter(rule -> rule.contains(" 5:0 ") || rule.contains(" 4:1 "))
                        .count());
    }

    @Test
    void noCgroupDeviceRulesAskedMeansNoneAdded() {
        Linux linux = linux("{}");
        assertNull(DefaultDevices.addTo(linux.resources(), linux));
    }

    @Test
    void aFreshDevGetsTheDefaultNodesTheSpecDoesNotReplaceThenTheSpecs() {
        var tty = new RootfsPlan.Device("/dev/tty", 'c', 4, 1, 0620, 0, 5);
        var fifo = new RootfsPlan.Device("/dev/x", 'p', 0, 0, 0600, 0, 0);
        assertEquals(
                List.of(
                        new RootfsPlan.Device("/dev/null", 'c', 1, 3, 0666, 0, 0),
                        new RootfsPlan.Device("/dev/random", 'c', 1, 8, 0666, 0, 0),
                        new RootfsPlan.Device("/dev/full", 'c', 1, 7, 0666, 0, 0),
                        new RootfsPlan.Device("/dev/zero", 'c', 1, 5, 0666, 0, 0),
                        new RootfsPlan.Device("/dev/urandom", 'c', 1, 9, 0666, 0, 0),
                        tty,
                        fifo),
                DefaultDevices.withNodes(List.of(tty, fifo)));
    }
}
