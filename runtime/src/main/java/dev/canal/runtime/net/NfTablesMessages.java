package dev.canal.runtime.net;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * nf_tables messages, in batches: nf_tables changes only inside a batch (NFNL_MSG_BATCH_BEGIN,
 * the changes, NFNL_MSG_BATCH_END), which the kernel applies all or nothing. Every change asks
 * for an ack, so each one's error comes back with its own sequence number.
 */
final class NfTablesMessages {

    private static final long FAMILY = NfTablesNetlink.NFGENMSG.byteOffset(groupElement("nfgen_family"));
    private static final long VERSION = NfTablesNetlink.NFGENMSG.byteOffset(groupElement("version"));
    private static final long RESOURCE = NfTablesNetlink.NFGENMSG.byteOffset(groupElement("res_id"));
    private static final int CHANGE = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK;
    /** libnftnl's NFTNL_UDATA_RULE_COMMENT / NFTNL_UDATA_TABLE_COMMENT: a comment's TLV type in userdata. */
    static final int COMMENT = 0;

    private final NetlinkSocket socket;
    private final NetlinkWriter writer;
    private final int family;
    private final int begin;
    /** What each change does, by its sequence number, to name the one the kernel refuses. */
    private final Map<Integer, String> changes = new LinkedHashMap<>();

    /** A new batch for tables of {@code family} (NFPROTO_INET...). */
    NfTablesMessages(Arena arena, NetlinkSocket socket, int family) {
        this.socket = socket;
        this.writer = new NetlinkWriter(arena);
        this.family = family;
        this.begin = socket.nextSequence();
        writer.begin(NfTablesNetlink.NFNL_MSG_BATCH_BEGIN, Netlink.NLM_F_REQUEST, begin);
        // The batch header's res_id names the subsystem the batch is for, in network order.
        header(writer, 0, NfTablesNetlink.NFNL_SUBSYS_NFTABLES);
        writer.end();
    }

    /** NFT_MSG_NEWTABLE, without NLM_F_EXCL: creating a table that exists is not an error. */
    void newTable(String table, String comment) {
        start(NfTablesNetlink.NFT_MSG_NEWTABLE, CHANGE | Netlink.NLM_F_CREATE, "create table " + table);
        writer.string(NfTablesNetlink.NFTA_TABLE_NAME, table);
        writer.bytes(NfTablesNetlink.NFTA_TABLE_USERDATA, commentTlv(comment));
        writer.end();
    }

    /** NFT_MSG_DELTABLE: the table and everything in it. */
    void deleteTable(String table) {
        start(NfTablesNetlink.NFT_MSG_DELTABLE, CHANGE, "delete table " + table);
        writer.string(NfTablesNetlink.NFTA_TABLE_NAME, table);
        writer.end();
    }

    /**
     * NFT_MSG_NEWCHAIN: a base chain attached to {@code hook} at {@code priority} with policy
     * accept when {@code type} is not empty ({@code nat}, {@code filter}), else a regular chain
     * that only jumps reach.
     */
    void newChain(String table, String chain, String type, int hook, int priority) {
        start(NfTablesNetlink.NFT_MSG_NEWCHAIN, CHANGE | Netlink.NLM_F_CREATE, "create chain " + chain);
        writer.string(NfTablesNetlink.NFTA_CHAIN_TABLE, table);
        writer.string(NfTablesNetlink.NFTA_CHAIN_NAME, chain);
        if (!type.isEmpty()) {
            int nest = writer.beginNested(NfTablesNetlink.NFTA_CHAIN_HOOK);
            writer.be32(NfTablesNetlink.NFTA_HOOK_HOOKNUM, hook);
            writer.be32(NfTablesNetlink.NFTA_HOOK_PRIORITY, priority);
            writer.endNested(nest);
            writer.be32(NfTablesNetlink.NFTA_CHAIN_POLICY, NfTablesNetlink.NF_ACCEPT);
            writer.string(NfTablesNetlink.NFTA_CHAIN_TYPE, type);
        }
        writer.end();
    }

    /**
     * NFT_MSG_NEWRULE, its comment in the userdata: appended to its chain with NLM_F_APPEND,
     * or, for a rule that goes first, without it, which the kernel reads as "at the head of
     * the chain" when no NFTA_RULE_POSITION is given (net/netfilter/nf_tables_api.c,
     * nf_tables_newrule).
     */
    void newRule(String table, FirewallRule rule) {
        start(
                NfTablesNetlink.NFT_MSG_NEWRULE,
                CHANGE | Netlink.NLM_F_CREATE | (rule.first() ? 0 : Netlink.NLM_F_APPEND),
                "add rule to chain " + rule.chain() + " \"" + rule.comment() + "\"");
        writer.string(NfTablesNetlink.NFTA_RULE_TABLE, table);
        writer.string(NfTablesNetlink.NFTA_RULE_CHAIN, rule.chain());
        int expressions = writer.beginNested(NfTablesNetlink.NFTA_RULE_EXPRESSIONS);
        rule.expressions().forEach(expression -> expression.write(writer));
        writer.endNested(expressions);
        writer.bytes(NfTablesNetlink.NFTA_RULE_USERDATA, commentTlv(rule.comment()));
        writer.end();
    }

    /** NFT_MSG_DELRULE of the rule with {@code handle}. */
    void deleteRule(String table, String chain, long handle) {
        start(NfTablesNetlink.NFT_MSG_DELRULE, CHANGE, "delete rule " + handle + " of chain " + chain);
        writer.string(NfTablesNetlink.NFTA_RULE_TABLE, table);
        writer.string(NfTablesNetlink.NFTA_RULE_CHAIN, chain);
        byte[] bytes = new byte[Long.BYTES];
        MemorySegment.ofArray(bytes).set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 0, handle);
        writer.bytes(NfTablesNetlink.NFTA_RULE_HANDLE, bytes);
        writer.end();
    }

    /** Ends the batch, sends it and waits for every change's ack; nothing is sent when empty. */
    void commit(String operation) {
        if (changes.isEmpty()) {
            return;
        }
        writer.begin(NfTablesNetlink.NFNL_MSG_BATCH_END, Netlink.NLM_F_REQUEST, socket.nextSequence());
        header(writer, 0, NfTablesNetlink.NFNL_SUBSYS_NFTABLES);
        writer.end();
        socket.batch(operation, writer.contents(), begin, changes);
    }

    /** The type of nf_tables message {@code message}: subsystem in the high byte. */
    static int type(int message) {
        return NfTablesNetlink.NFNL_SUBSYS_NFTABLES << 8 | message;
    }

    /** A {@code struct nfgenmsg}: family, NFNETLINK_V0, and res_id in network byte order. */
    static void header(NetlinkWriter writer, int family, int resource) {
        MemorySegment header = writer.header(NfTablesNetlink.NFGENMSG);
        header.set(ValueLayout.JAVA_BYTE, FAMILY, (byte) family);
        header.set(ValueLayout.JAVA_BYTE, VERSION, (byte) NfTablesNetlink.NFNETLINK_V0);
        header.set(ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), RESOURCE, (short) resource);
    }

    /** libnftnl's userdata: TLVs of one byte type, one byte length; a comment ends with NUL. */
    static byte[] commentTlv(String comment) {
        byte[] text = comment.getBytes(StandardCharsets.UTF_8);
        byte[] tlv = new byte[text.length + 3];
        tlv[0] = COMMENT;
        tlv[1] = (byte) (text.length + 1);
        System.arraycopy(text, 0, tlv, 2, text.length);
        return tlv;
    }

    /** The comment in userdata written by {@link #commentTlv} (or by nft); empty when none. */
    static String comment(byte[] userdata) {
        int offset = 0;
        while (offset + 2 <= userdata.length) {
            int type = userdata[offset];
            int length = Byte.toUnsignedInt(userdata[offset + 1]);
            if (offset + 2 + length > userdata.length) {
                break;
            }
            if (type == COMMENT && length > 0) {
                return new String(userdata, offset + 2, length - 1, StandardCharsets.UTF_8);
            }
            offset += 2 + length;
        }
        return "";
    }

    private void start(int message, int flags, String change) {
        int sequence = socket.nextSequence();
        changes.put(sequence, change);
        writer.begin(type(message), flags, sequence);
        header(writer, family, 0);
    }
}
