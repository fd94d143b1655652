package dev.canal.runtime.net;

import static dev.canal.runtime.net.NfTablesNetlink.*;

/**
 * One nf_tables expression of a rule, and how it is encoded: a {@code NFTA_LIST_ELEM} holding
 * the expression's name and its {@code NFTA_EXPR_DATA} attributes, numbers in network byte
 * order. A rule is a list of them run in order on registers: a {@link Meta} or {@link Payload}
 * loads a value into a register, {@link Cmp} stops the rule unless it matches, and a verdict,
 * {@link Nat} or {@link Masquerade} acts. {@code nft --debug=netlink} prints rules in the same
 * terms ({@code [ meta load oifname => reg 1 ]}), which is how these were checked.
 */
public sealed interface NftExpression {

    /** Writes this expression as one {@code NFTA_LIST_ELEM}. */
    default void write(NetlinkWriter message) {
        int element = message.beginNested(NFTA_LIST_ELEM);
        message.string(NFTA_EXPR_NAME, name());
        int data = message.beginNested(NFTA_EXPR_DATA);
        writeData(message);
        message.endNested(data);
        message.endNested(element);
    }

    /** The kernel's name of the expression type: {@code meta}, {@code cmp}... */
    String name();

    /** The expression's own attributes. */
    void writeData(NetlinkWriter message);

    /** {@code meta load KEY => reg}: the packet's protocol family, interfaces, layer-4 protocol. */
    record Meta(int key, int register) implements NftExpression {
        public String name() {
            return "meta";
        }

        public void writeData(NetlinkWriter message) {
            message.be32(NFTA_META_KEY, key).be32(NFTA_META_DREG, register);
        }
    }

    /** {@code payload load LENGTH @ BASE + OFFSET => reg}: bytes of a header. */
    record Payload(int base, int offset, int length, int register) implements NftExpression {
        public String name() {
            return "payload";
        }

        public void writeData(NetlinkWriter message) {
            message.be32(NFTA_PAYLOAD_DREG, register)
                    .be32(NFTA_PAYLOAD_BASE, base)
                    .be32(NFTA_PAYLOAD_OFFSET, offset)
                    .be32(NFTA_PAYLOAD_LEN, length);
        }
    }

    /** {@code reg = (reg & mask) ^ xor}: keeps a subnet's prefix bits of an address. */
    record Bitwise(int register, byte[] mask, byte[] xor) implements NftExpression {
        public String name() {
            return "bitwise";
        }

        public void writeData(NetlinkWriter message) {
            message.be32(NFTA_BITWISE_SREG, register)
                    .be32(NFTA_BITWISE_DREG, register)
                    .be32(NFTA_BITWISE_LEN, mask.length);
            writeValue(message, NFTA_BITWISE_MASK, mask);
            writeValue(message, NFTA_BITWISE_XOR, xor);
        }
    }

    /** {@code cmp OP reg VALUE}: the rule goes on only if the register's bytes compare so. */
    record Cmp(int operator, int register, byte[] value) implements NftExpression {
        public String name() {
            return "cmp";
        }

        public void writeData(NetlinkWriter message) {
            message.be32(NFTA_CMP_SREG, register).be32(NFTA_CMP_OP, operator);
            writeValue(message, NFTA_CMP_DATA, value);
        }
    }

    /** {@code fib daddr type => reg}: the route type of the destination (RTN_LOCAL: this host's). */
    record FibDestinationType(int register) implements NftExpression {
        public String name() {
            return "fib";
        }

        public void writeData(NetlinkWriter message) {
            message.be32(NFTA_FIB_DREG, register)
                    .be32(NFTA_FIB_RESULT, NFT_FIB_RESULT_ADDRTYPE)
                    .be32(NFTA_FIB_FLAGS, NFTA_FIB_F_DADDR);
        }
    }

    /** {@code immediate reg VALUE}: loads a constant, such as a NAT target's address or port. */
    record Immediate(int register, byte[] value) implements NftExpression {
        public String name() {
            return "immediate";
        }

        public void writeData(NetlinkWriter message) {
            message.be32(NFTA_IMMEDIATE_DREG, register);
            writeValue(message, NFTA_IMMEDIATE_DATA, value);
        }
    }

    /**
     * A verdict: accept, drop, jump to {@code chain} (NFT_JUMP), or return to the rule after the
     * jump that led here (NFT_RETURN).
     */
    record Verdict(int code, String chain) implements NftExpression {
        public static Verdict drop() {
            return new Verdict(NF_DROP, "");
        }

        public static Verdict jump(String chain) {
            return new Verdict(NFT_JUMP, chain);
        }

        public static Verdict returnToCaller() {
            return new Verdict(NFT_RETURN, "");
        }

        public String name() {
            return "immediate";
        }

        public void writeData(NetlinkWriter message) {
            message.be32(NFTA_IMMEDIATE_DREG, NFT_REG_VERDICT);
            int data = message.beginNested(NFTA_IMMEDIATE_DATA);
            int verdict = message.beginNested(NFTA_DATA_VERDICT);
            message.be32(NFTA_VERDICT_CODE, code);
            if (!chain.isEmpty()) {
                message.string(NFTA_VERDICT_CHAIN, chain);
            }
            message.endNested(verdict);
            message.endNested(data);
        }
    }

    /**
     * {@code dnat FAMILY addr_min reg proto_min reg}: rewrite the destination to the address
     * and port loaded in the two registers; conntrack undoes it on the replies.
     */
    record DestinationNat(int family, int addressRegister, int portRegister) implements NftExpression {
        public String name() {
            return "nat";
        }

        public void writeData(NetlinkWriter message) {
            message.be32(NFTA_NAT_TYPE, NFT_NAT_DNAT)
                    .be32(NFTA_NAT_FAMILY, family)
                    .be32(NFTA_NAT_REG_ADDR_MIN, addressRegister)
                    .be32(NFTA_NAT_REG_PROTO_MIN, portRegister)
                    .be32(NFTA_NAT_FLAGS, NF_NAT_RANGE_MAP_IPS | NF_NAT_RANGE_PROTO_SPECIFIED);
        }
    }

    /** {@code masq}: rewrite the source to the address of the interface the packet leaves by. */
    record Masquerade() implements NftExpression {
        public String name() {
            return "masq";
        }

        public void writeData(NetlinkWriter message) {}
    }

    /** {@code counter}: packets and bytes that reached this point of the rule. */
    record Counter() implements NftExpression {
        public String name() {
            return "counter";
        }

        public void writeData(NetlinkWriter message) {}
    }

    /** A value attribute: {@code NFTA_DATA_VALUE} nested in {@code type}. */
    private static void writeValue(NetlinkWriter message, int type, byte[] bytes) {
        int nest = message.beginNested(type);
        message.bytes(NFTA_DATA_VALUE, bytes);
        message.endNested(nest);
    }
}
