package dev.canal.runtime.net;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * nf_tables over nfnetlink: the message types, attributes and values Canal uses, from
 * {@code include/uapi/linux/netfilter/nfnetlink.h}, {@code netfilter/nf_tables.h},
 * {@code netfilter/nf_nat.h}, {@code netfilter.h}, {@code netfilter_ipv4.h} and {@code in.h}.
 * Every numeric attribute of nf_tables travels in network byte order (big-endian).
 *
 * <p>Written here rather than generated, as {@link Netlink} explains;
 * {@code NetlinkHeadersMatchCompilerTest} checks every value against the C headers.
 */
public final class NfTablesNetlink {

    // nfnetlink (nfnetlink.h): a message type is (subsystem << 8) | message.
    public static final int NFNL_SUBSYS_NFTABLES = 10;
    public static final int NFNL_MSG_BATCH_BEGIN = 16;
    public static final int NFNL_MSG_BATCH_END = 17;
    public static final int NFNETLINK_V0 = 0;

    // Message types (enum nf_tables_msg_types).
    public static final int NFT_MSG_NEWTABLE = 0;
    public static final int NFT_MSG_GETTABLE = 1;
    public static final int NFT_MSG_DELTABLE = 2;
    public static final int NFT_MSG_NEWCHAIN = 3;
    public static final int NFT_MSG_NEWRULE = 6;
    public static final int NFT_MSG_GETRULE = 7;
    public static final int NFT_MSG_DELRULE = 8;

    // Tables, chains, hooks, rules.
    public static final int NFTA_TABLE_NAME = 1;
    public static final int NFTA_TABLE_USERDATA = 6;
    public static final int NFTA_CHAIN_TABLE = 1;
    public static final int NFTA_CHAIN_NAME = 3;
    public static final int NFTA_CHAIN_HOOK = 4;
    public static final int NFTA_CHAIN_POLICY = 5;
    public static final int NFTA_CHAIN_TYPE = 7;
    public static final int NFTA_HOOK_HOOKNUM = 1;
    public static final int NFTA_HOOK_PRIORITY = 2;
    public static final int NFTA_RULE_TABLE = 1;
    public static final int NFTA_RULE_CHAIN = 2;
    public static final int NFTA_RULE_HANDLE = 3;
    public static final int NFTA_RULE_EXPRESSIONS = 4;
    public static final int NFTA_RULE_USERDATA = 7;
    public static final int NFTA_LIST_ELEM = 1;
    public static final int NFTA_EXPR_NAME = 1;
    public static final int NFTA_EXPR_DATA = 2;

    // Registers: 0 holds the verdict, 1..4 are 16-byte data registers.
    public static final int NFT_REG_VERDICT = 0;
    public static final int NFT_REG_1 = 1;
    public static final int NFT_REG_2 = 2;

    // Data and verdicts.
    public static final int NFTA_DATA_VALUE = 1;
    public static final int NFTA_DATA_VERDICT = 2;
    public static final int NFTA_VERDICT_CODE = 1;
    public static final int NFTA_VERDICT_CHAIN = 2;
    public static final int NFT_JUMP = -3;
    public static final int NFT_RETURN = -5;
    public static final int NF_DROP = 0;
    public static final int NF_ACCEPT = 1;

    // Expressions: meta, cmp, payload, bitwise, immediate, nat, fib.
    public static final int NFTA_META_DREG = 1;
    public static final int NFTA_META_KEY = 2;
    public static final int NFT_META_IIFNAME = 6;
    public static final int NFT_META_OIFNAME = 7;
    public static final int NFT_META_NFPROTO = 15;
    public static final int NFT_META_L4PROTO = 16;
    public static final int NFTA_CMP_SREG = 1;
    public static final int NFTA_CMP_OP = 2;
    public static final int NFTA_CMP_DATA = 3;
    public static final int NFT_CMP_EQ = 0;
    public static final int NFT_CMP_NEQ = 1;
    public static final int NFTA_PAYLOAD_DREG = 1;
    public static final int NFTA_PAYLOAD_BASE = 2;
    public static final int NFTA_PAYLOAD_OFFSET = 3;
    public static final int NFTA_PAYLOAD_LEN = 4;
    public static final int NFT_PAYLOAD_NETWORK_HEADER = 1;
    public static final int NFT_PAYLOAD_TRANSPORT_HEADER = 2;
    public static final int NFTA_BITWISE_SREG = 1;
    public static final int NFTA_BITWISE_DREG = 2;
    public static final int NFTA_BITWISE_LEN = 3;
    public static final int NFTA_BITWISE_MASK = 4;
    public static final int NFTA_BITWISE_XOR = 5;
    public static final int NFTA_IMMEDIATE_DREG = 1;
    public static final int NFTA_IMMEDIATE_DATA = 2;
    public static final int NFTA_NAT_TYPE = 1;
    public static final int NFTA_NAT_FAMILY = 2;
    public static final int NFTA_NAT_REG_ADDR_MIN = 3;
    public static final int NFTA_NAT_REG_PROTO_MIN = 5;
    public static final int NFTA_NAT_FLAGS = 7;
    public static final int NFT_NAT_DNAT = 1;
    public static final int NF_NAT_RANGE_MAP_IPS = 1;
    public static final int NF_NAT_RANGE_PROTO_SPECIFIED = 2;
    public static final int NFTA_FIB_DREG = 1;
    public static final int NFTA_FIB_RESULT = 2;
    public static final int NFTA_FIB_FLAGS = 3;
    public static final int NFT_FIB_RESULT_ADDRTYPE = 3;
    public static final int NFTA_FIB_F_DADDR = 2;

    // Families and hooks (netfilter.h), priorities (netfilter_ipv4.h), protocols (in.h).
    public static final int NFPROTO_INET = 1;
    public static final int NFPROTO_IPV4 = 2;
    public static final int NFPROTO_IPV6 = 10;
    public static final int NF_INET_PRE_ROUTING = 0;
    public static final int NF_INET_FORWARD = 2;
    public static final int NF_INET_LOCAL_OUT = 3;
    public static final int NF_INET_POST_ROUTING = 4;
    public static final int NF_IP_PRI_NAT_DST = -100;
    public static final int NF_IP_PRI_FILTER = 0;
    public static final int NF_IP_PRI_NAT_SRC = 100;
    public static final int IPPROTO_TCP = 6;
    public static final int IPPROTO_UDP = 17;

    /** {@code struct nfgenmsg}: the fixed header of nfnetlink messages; res_id is big-endian. */
    public static final StructLayout NFGENMSG = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("nfgen_family"),
            ValueLayout.JAVA_BYTE.withName("version"),
            ValueLayout.JAVA_SHORT.withName("res_id"));

    private NfTablesNetlink() {}
}
