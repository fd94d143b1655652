package dev.canal.runtime.net;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Canal's own nf_tables table, {@code inet canal}, in one network namespace: its chains, and
 * rules that Canal adds, removes and reconciles by their comments. Nothing outside this table
 * is ever read for change or touched, and the table itself is touched only if Canal made it
 * (its userdata carries Canal's comment).
 *
 * <p>The layout follows Docker's iptables chains and netavark's nftables table:
 *
 * <pre>
 * table inet canal {
 *   chain prerouting  { type nat hook prerouting priority dstnat;  fib daddr type local jump published }
 *   chain output      { type nat hook output priority -100;  ip daddr != 127.0.0.0/8 fib daddr type local jump published }
 *   chain published   { first, per network: iifname BRIDGE return
 *                       per published port: iifname != BRIDGE tcp dport HOSTPORT dnat to CONTAINER:PORT }
 *   chain postrouting { type nat hook postrouting priority srcnat;  per network: ip saddr SUBNET oifname != BRIDGE masquerade }
 *   chain forward     { type filter hook forward priority filter;  per network: iifname BRIDGE oifname != BRIDGE jump isolation }
 *   chain isolation   { per network: oifname BRIDGE drop }
 * }
 * </pre>
 *
 * Every change is one nf_tables batch, applied by the kernel all or nothing.
 */
public final class Firewall {

    /** The table's name; its family is inet, so one table holds IPv4 and IPv6 rules. */
    public static final String TABLE = "canal";

    /** The table's comment, which marks it as Canal's. */
    static final String OWNER = "made by canal; canal reconciles and removes it";

    static final String PREROUTING = "prerouting";
    static final String OUTPUT = "output";
    static final String PUBLISHED = "published";
    static final String POSTROUTING = "postrouting";
    static final String FORWARD = "forward";
    static final String ISOLATION = "isolation";

    private static final int FAMILY = NfTablesNetlink.NFPROTO_INET;

    /** A rule found in the table: where, its handle for deletion, and its comment. */
    public record InstalledRule(String chain, long handle, String comment) {}

    private final NetlinkSocket socket;

    /** The table in the namespace of {@code socket}, a NETLINK_NETFILTER socket. */
    public Firewall(NetlinkSocket socket) {
        if (socket.protocol() != Netlink.NETLINK_NETFILTER) {
            throw new IllegalArgumentException("firewall: needs a NETLINK_NETFILTER socket");
        }
        this.socket = socket;
    }

    /**
     * Whether the table exists. A table called {@code canal} that Canal did not make is an
     * error: Canal will not touch it.
     */
    public boolean exists() {
        var comments = new ArrayList<String>();
        try (var arena = Arena.ofConfined()) {
            var message = query(arena, NfTablesNetlink.NFT_MSG_GETTABLE, Netlink.NLM_F_ACK);
            message.string(NfTablesNetlink.NFTA_TABLE_NAME, TABLE);
            socket.request(
                    "get table inet " + TABLE,
                    message.end(),
                    reply -> comments.add(userdataComment(reply, NfTablesNetlink.NFTA_TABLE_USERDATA)));
        } catch (NetlinkException e) {
            if (e.errno() == linux_h.ENOENT()) {
                return false;
            }
            throw e;
        }
        if (!comments.equals(List.of(OWNER))) {
            throw new IllegalStateException(
                    "nftables table inet " + TABLE + " exists but Canal did not make it (its comment is not \"" + OWNER
                            + "\"); Canal leaves it alone");
        }
        return true;
    }

    /** The rules of the table, in chain order; empty when there is no table. */
    public List<InstalledRule> rules() {
        return exists() ? installedRules() : List.of();
    }

    /** NFT_MSG_GETRULE dump of the table, which exists. */
    private List<InstalledRule> installedRules() {
        var rules = new ArrayList<InstalledRule>();
        try (var arena = Arena.ofConfined()) {
            var message = query(arena, NfTablesNetlink.NFT_MSG_GETRULE, Netlink.NLM_F_DUMP);
            // The kernel dumps only this table's rules when the dump request names it.
            message.string(NfTablesNetlink.NFTA_RULE_TABLE, TABLE);
            socket.dump("list rules of table inet " + TABLE, message.end(), reply -> {
                var attributes = NetlinkAttribute.parse(reply.asSlice(headers()));
                String table = text(attributes, NfTablesNetlink.NFTA_RULE_TABLE);
                if (table.equals(TABLE)) {
                    rules.add(new InstalledRule(
                            text(attributes, NfTablesNetlink.NFTA_RULE_CHAIN),
                            NetlinkAttribute.find(attributes, NfTablesNetlink.NFTA_RULE_HANDLE)
                                    .orElseThrow()
                                    .be64(),
                            userdataComment(reply, NfTablesNetlink.NFTA_RULE_USERDATA)));
                }
            });
        }
        return rules;
    }

    /**
     * Adds the rules of {@code wanted} that the table lacks (by comment), creating the table
     * and its chains first when there is none.
     */
    public void add(Collection<FirewallRule> wanted) {
        apply("add firewall rules", wanted, installed -> false, false);
    }

    /** Removes every rule whose comment {@code matches}. */
    public void removeIf(Predicate<String> matches) {
        if (!exists()) {
            return;
        }
        apply("remove firewall rules", List.of(), installed -> matches.test(installed.comment()), false);
    }

    /**
     * Makes the table hold exactly {@code desired} (and the jumps between its chains): what is
     * missing is added, what is there and not desired is removed, what is both stays untouched
     * (its counters too). For a start after a crash: whatever a previous run left is found here.
     */
    public void reconcile(Collection<FirewallRule> desired) {
        Set<String> comments = new HashSet<>();
        desired.forEach(rule -> comments.add(rule.comment()));
        NetworkRules.chainJumps().forEach(rule -> comments.add(rule.comment()));
        apply("reconcile firewall rules", desired, installed -> !comments.contains(installed.comment()), true);
    }

    /** Deletes the table and everything in it, if it exists. */
    public void delete() {
        if (!exists()) {
            return;
        }
        try (var arena = Arena.ofConfined()) {
            var batch = new NfTablesMessages(arena, socket, FAMILY);
            batch.deleteTable(TABLE);
            batch.commit("delete table inet " + TABLE);
        }
    }

    /**
     * One batch: the table and chains when missing, deletions of installed rules that are
     * {@code stale} or duplicates, then the rules of {@code wanted} (plus the chain jumps) not
     * installed. {@code allChains} recreates any chain someone deleted by hand.
     */
    private void apply(
            String operation, Collection<FirewallRule> wanted, Predicate<InstalledRule> stale, boolean allChains) {
        boolean exists = exists();
        List<InstalledRule> installed = exists ? installedRules() : List.of();
        Map<String, FirewallRule> missing = new LinkedHashMap<>();
        NetworkRules.chainJumps().forEach(rule -> missing.put(rule.comment(), rule));
        wanted.forEach(rule -> missing.put(rule.comment(), rule));
        try (var arena = Arena.ofConfined()) {
            var batch = new NfTablesMessages(arena, socket, FAMILY);
            if (!exists || allChains) {
                createTableAndChains(batch);
            }
            Set<String> kept = new HashSet<>();
            for (InstalledRule rule : installed) {
                if (stale.test(rule) || !kept.add(rule.comment())) {
                    batch.deleteRule(TABLE, rule.chain(), rule.handle());
                } else {
                    missing.remove(rule.comment());
                }
            }
            missing.values().forEach(rule -> batch.newRule(TABLE, rule));
            batch.commit(operation);
        }
    }

    /**
     * NFT_MSG_NEWTABLE and NFT_MSG_NEWCHAIN without NLM_F_EXCL: in a batch where they exist
     * already, they change nothing. NAT chains sit at Docker's priorities (dstnat -100, srcnat
     * 100) and the forward filter at 0.
     */
    private static void createTableAndChains(NfTablesMessages batch) {
        batch.newTable(TABLE, OWNER);
        batch.newChain(
                TABLE, PREROUTING, "nat", NfTablesNetlink.NF_INET_PRE_ROUTING, NfTablesNetlink.NF_IP_PRI_NAT_DST);
        batch.newChain(TABLE, OUTPUT, "nat", NfTablesNetlink.NF_INET_LOCAL_OUT, NfTablesNetlink.NF_IP_PRI_NAT_DST);
        batch.newChain(TABLE, PUBLISHED, "", 0, 0);
        batch.newChain(
                TABLE, POSTROUTING, "nat", NfTablesNetlink.NF_INET_POST_ROUTING, NfTablesNetlink.NF_IP_PRI_NAT_SRC);
        batch.newChain(TABLE, FORWARD, "filter", NfTablesNetlink.NF_INET_FORWARD, NfTablesNetlink.NF_IP_PRI_FILTER);
        batch.newChain(TABLE, ISOLATION, "", 0, 0);
    }

    /** A get request outside any batch: nlmsghdr and nfgenmsg; {@code flags} add ACK or DUMP. */
    private NetlinkWriter query(Arena arena, int message, int flags) {
        var writer = new NetlinkWriter(arena)
                .begin(NfTablesMessages.type(message), Netlink.NLM_F_REQUEST | flags, socket.nextSequence());
        NfTablesMessages.header(writer, FAMILY, 0);
        return writer;
    }

    private static long headers() {
        return Netlink.NLMSGHDR.byteSize() + NfTablesNetlink.NFGENMSG.byteSize();
    }

    private static String text(List<NetlinkAttribute> attributes, int type) {
        return NetlinkAttribute.find(attributes, type)
                .map(NetlinkAttribute::string)
                .orElse("");
    }

    private static String userdataComment(MemorySegment reply, int type) {
        var attributes = NetlinkAttribute.parse(reply.asSlice(headers()));
        return NetlinkAttribute.find(attributes, type)
                .map(attribute -> NfTablesMessages.comment(attribute.bytes()))
                .orElse("");
    }
}
