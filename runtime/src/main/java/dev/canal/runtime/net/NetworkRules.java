package dev.canal.runtime.net;

import dev.canal.runtime.net.NftExpression.Counter;
import dev.canal.runtime.net.NftExpression.Masquerade;
import dev.canal.runtime.net.NftExpression.Verdict;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Predicate;

/**
 * What Canal's firewall holds for each network and each published port, as Docker's iptables
 * rules do it (libnetwork's {@code setupIPTables}, {@code DOCKER-ISOLATION-STAGE-1/2}), in the
 * chains of {@link Firewall}. Each rule's comment begins with its owner, {@code canal network
 * NAME:} or {@code canal container ID:}, which is how an owner's rules are found and removed.
 */
public final class NetworkRules {

    static final String NETWORK = "canal network ";
    static final String CONTAINER = "canal container ";

    private NetworkRules() {}

    /**
     * The jumps into the regular chains, always present: packets for an address of this host
     * go through {@code published}, both arriving (prerouting) and sent by the host itself
     * (output). As Docker, the host's own connections to 127.0.0.0/8 and ::1 are left out:
     * DNAT from loopback to another interface needs route_localnet, so Docker (and Canal's
     * engine) answers those with a userland proxy instead.
     */
    static List<FirewallRule> chainJumps() {
        var local = NftMatches.destinationIsLocal();
        var toPublished = List.of(Verdict.jump(Firewall.PUBLISHED));
        var jumps = new ArrayList<FirewallRule>();
        jumps.add(rule(Firewall.PREROUTING, "canal: to this host -> published", local, toPublished));
        for (String loopback : List.of("127.0.0.0/8", "::1/128")) {
            IpPrefix prefix = IpPrefix.parse("loopback", loopback);
            String shown = prefix.length() == 128 ? "::1" : loopback;
            jumps.add(rule(
                    Firewall.OUTPUT,
                    "canal: from this host to itself, not " + shown + " -> published",
                    NftMatches.destinationIsNot(prefix),
                    local,
                    toPublished));
        }
        return jumps;
    }

    /**
     * A network's rules. Out: a packet from the subnet leaving by another interface than the
     * bridge gets the outgoing interface's address (masquerade). Isolation: a packet forwarded
     * from the bridge to another interface goes through {@code isolation}, which drops it if
     * that interface is any Canal bridge. Published ports seen from a container: a packet that
     * came in by the bridge returns from {@code published} before any DNAT (the rule goes
     * first), so a container reaching a published port through an address of the host, its
     * own port included, reaches the host's socket of that port, the engine's proxy, which
     * connects to the published container from the host. Docker's "SKIP DNAT" rule does the
     * same with its userland proxy (moby setupIPTablesInternal: {@code -t nat -I DOCKER -i
     * BRIDGE -j RETURN}); DNAT'ed, the packet would be forwarded to another network's bridge,
     * where isolation drops it. An internal network instead drops all that enters or leaves
     * the bridge from or to another interface, and gets no return: as in Docker, its containers
     * reach no published port of another network.
     */
    public static List<FirewallRule> forNetwork(BridgeNetwork network) {
        String owner = NETWORK + network.name() + ": ";
        String bridge = network.bridge();
        var rules = new ArrayList<FirewallRule>();
        if (network.internal()) {
            rules.add(rule(
                    Firewall.FORWARD,
                    owner + "internal, drop from " + bridge + " to elsewhere",
                    NftMatches.inputInterface(true, bridge),
                    NftMatches.outputInterface(false, bridge),
                    List.of(Verdict.drop())));
            rules.add(rule(
                    Firewall.FORWARD,
                    owner + "internal, drop to " + bridge + " from elsewhere",
                    NftMatches.outputInterface(true, bridge),
                    NftMatches.inputInterface(false, bridge),
                    List.of(Verdict.drop())));
            return rules;
        }
        for (IpPrefix subnet : network.subnets()) {
            rules.add(rule(
                    Firewall.POSTROUTING,
                    owner + "masquerade " + subnet + " leaving by other than " + bridge,
                    NftMatches.sourceIn(subnet),
                    NftMatches.outputInterface(false, bridge),
                    List.of(new Counter(), new Masquerade())));
        }
        rules.add(rule(
                Firewall.FORWARD,
                owner + "from " + bridge + " to elsewhere -> isolation",
                NftMatches.inputInterface(true, bridge),
                NftMatches.outputInterface(false, bridge),
                List.of(Verdict.jump(Firewall.ISOLATION))));
        rules.add(rule(
                Firewall.ISOLATION,
                owner + "drop to " + bridge,
                NftMatches.outputInterface(true, bridge),
                List.of(Verdict.drop())));
        rules.add(first(rule(
                Firewall.PUBLISHED,
                owner + "from " + bridge + " -> return, not DNAT'ed: the daemon's proxy answers",
                NftMatches.inputInterface(true, bridge),
                List.of(Verdict.returnToCaller()))));
        return rules;
    }

    /**
     * The DNAT rules of a container's published ports: a packet for {@code hostPort} on an
     * address of this host (or on the one host address the mapping names) that did not come
     * from the network's own bridge goes to the container's address and port. Packets from any
     * Canal bridge have returned before these ({@link #forNetwork}): the engine's proxy answers
     * them, as Docker's userland proxy does; {@code iifname != BRIDGE} is Docker's
     * {@code ! -i BRIDGE} in the same rule.
     */
    public static List<FirewallRule> forPorts(BridgeNetwork network, Endpoint endpoint) {
        String owner = CONTAINER + endpoint.containerId() + " on " + network.name() + ": ";
        var rules = new ArrayList<FirewallRule>();
        for (PortMapping port : endpoint.ports()) {
            for (IpPrefix address : endpoint.addresses()) {
                InetAddress target = address.address();
                if (port.hostAddress() != null && port.hostAddress().getClass() != target.getClass()) {
                    continue; // a mapping on an IPv4 host address leads to the container's IPv4 address
                }
                var destination = port.hostAddress() == null
                        ? NftMatches.family(target)
                        : NftMatches.destinationIs(true, port.hostAddress());
                rules.add(rule(
                        Firewall.PUBLISHED,
                        owner + port + " to " + target.getHostAddress() + " via " + network.bridge(),
                        NftMatches.inputInterface(false, network.bridge()),
                        destination,
                        NftMatches.destinationPort(NftMatches.protocolNumber(port.protocol()), port.hostPort()),
                        List.of(new Counter()),
                        NftMatches.destinationNat(target, port.containerPort())));
            }
        }
        return rules;
    }

    /** Whether a rule's comment says it belongs to network {@code name}. */
    public static Predicate<String> ofNetwork(String name) {
        return comment -> comment.startsWith(NETWORK + name + ": ");
    }

    /** Whether a rule's comment says it belongs to container {@code id} on network {@code network}. */
    public static Predicate<String> ofContainer(String id, String network) {
        return comment -> comment.startsWith(CONTAINER + id + " on " + network + ": ");
    }

    /**
     * The host end of a container's veth on a network: "cv" and 13 hex digits of a hash of
     * both names, 15 characters, the most an interface name holds (IFNAMSIZ - 1).
     */
    static String hostInterface(String containerId, String network) {
        return "cv" + sha256(containerId + "\0" + network).substring(0, 13);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    @SafeVarargs
    private static FirewallRule rule(String chain, String comment, List<? extends NftExpression>... parts) {
        var expressions = new ArrayList<NftExpression>();
        for (var part : parts) {
            expressions.addAll(part);
        }
        return new FirewallRule(chain, fitted(comment), expressions);
    }

    /** {@code rule}, inserted at the head of its chain instead of appended to it. */
    private static FirewallRule first(FirewallRule rule) {
        return new FirewallRule(rule.chain(), rule.comment(), rule.expressions(), true);
    }

    /**
     * {@code comment}, or when it is longer than a rule's userdata holds (long names, IPv6
     * addresses), its beginning, which keeps the owner, and a hash of the whole, which keeps
     * it unique: a comment is a rule's identity.
     */
    static String fitted(String comment) {
        if (comment.length() <= FirewallRule.MAX_COMMENT) {
            return comment;
        }
        String hash = " #" + sha256(comment).substring(0, 16);
        return comment.substring(0, FirewallRule.MAX_COMMENT - hash.length()) + hash;
    }
}
