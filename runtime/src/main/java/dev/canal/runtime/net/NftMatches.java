package dev.canal.runtime.net;

import static dev.canal.runtime.net.NfTablesNetlink.IPPROTO_TCP;
import static dev.canal.runtime.net.NfTablesNetlink.NFPROTO_IPV4;
import static dev.canal.runtime.net.NfTablesNetlink.NFPROTO_IPV6;
import static dev.canal.runtime.net.NfTablesNetlink.NFT_CMP_EQ;
import static dev.canal.runtime.net.NfTablesNetlink.NFT_CMP_NEQ;
import static dev.canal.runtime.net.NfTablesNetlink.NFT_META_IIFNAME;
import static dev.canal.runtime.net.NfTablesNetlink.NFT_META_L4PROTO;
import static dev.canal.runtime.net.NfTablesNetlink.NFT_META_NFPROTO;
import static dev.canal.runtime.net.NfTablesNetlink.NFT_META_OIFNAME;
import static dev.canal.runtime.net.NfTablesNetlink.NFT_PAYLOAD_NETWORK_HEADER;
import static dev.canal.runtime.net.NfTablesNetlink.NFT_PAYLOAD_TRANSPORT_HEADER;
import static dev.canal.runtime.net.NfTablesNetlink.NFT_REG_1;
import static dev.canal.runtime.net.NfTablesNetlink.NFT_REG_2;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.net.NftExpression.Bitwise;
import dev.canal.runtime.net.NftExpression.Cmp;
import dev.canal.runtime.net.NftExpression.DestinationNat;
import dev.canal.runtime.net.NftExpression.FibDestinationType;
import dev.canal.runtime.net.NftExpression.Immediate;
import dev.canal.runtime.net.NftExpression.Meta;
import dev.canal.runtime.net.NftExpression.Payload;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The matches and actions Canal's rules are made of, each as the expressions nft itself
 * generates for it (compare {@code nft --debug=netlink add rule ...}).
 */
final class NftMatches {

    /** IPv4 source and destination addresses: offsets in the IP header (RFC 791). */
    private static final int IPV4_SOURCE = 12;

    private static final int IPV4_DESTINATION = 16;
    /** IPv6 source and destination addresses (RFC 8200). */
    private static final int IPV6_SOURCE = 8;

    private static final int IPV6_DESTINATION = 24;
    /** The destination port of TCP and UDP: bytes 2-3 of the transport header. */
    private static final int DESTINATION_PORT = 2;

    private NftMatches() {}

    /** {@code iifname NAME} or {@code iifname != NAME}: the interface a packet came in by. */
    static List<NftExpression> inputInterface(boolean equal, String name) {
        return interfaceName(NFT_META_IIFNAME, equal, name);
    }

    /** {@code oifname NAME} or {@code oifname != NAME}: the interface a packet leaves by. */
    static List<NftExpression> outputInterface(boolean equal, String name) {
        return interfaceName(NFT_META_OIFNAME, equal, name);
    }

    /** {@code ip saddr SUBNET} (or ip6): the source lies in {@code subnet}. */
    static List<NftExpression> sourceIn(IpPrefix subnet) {
        int offset = subnet.isIpv6() ? IPV6_SOURCE : IPV4_SOURCE;
        byte[] bytes = subnet.network().address().getAddress();
        return List.of(
                family(subnet.address()).get(0),
                family(subnet.address()).get(1),
                new Payload(NFT_PAYLOAD_NETWORK_HEADER, offset, bytes.length, NFT_REG_1),
                new Bitwise(NFT_REG_1, subnet.mask(), new byte[bytes.length]),
                new Cmp(NFT_CMP_EQ, NFT_REG_1, bytes));
    }

    /** {@code ip daddr ADDRESS} or {@code !=} (or ip6). */
    static List<NftExpression> destinationIs(boolean equal, InetAddress address) {
        byte[] bytes = address.getAddress();
        int offset = address instanceof Inet4Address ? IPV4_DESTINATION : IPV6_DESTINATION;
        return List.of(
                family(address).get(0),
                family(address).get(1),
                new Payload(NFT_PAYLOAD_NETWORK_HEADER, offset, bytes.length, NFT_REG_1),
                new Cmp(equal ? NFT_CMP_EQ : NFT_CMP_NEQ, NFT_REG_1, bytes));
    }

    /** {@code ip daddr != PREFIX} (or ip6): the destination lies outside {@code prefix}. */
    static List<NftExpression> destinationIsNot(IpPrefix prefix) {
        byte[] bytes = prefix.network().address().getAddress();
        int offset = prefix.isIpv6() ? IPV6_DESTINATION : IPV4_DESTINATION;
        return List.of(
                family(prefix.address()).get(0),
                family(prefix.address()).get(1),
                new Payload(NFT_PAYLOAD_NETWORK_HEADER, offset, bytes.length, NFT_REG_1),
                new Bitwise(NFT_REG_1, prefix.mask(), new byte[bytes.length]),
                new Cmp(NFT_CMP_NEQ, NFT_REG_1, bytes));
    }

    /** {@code meta nfproto ipv4} (or ipv6): an inet table sees both families. */
    static List<NftExpression> family(InetAddress address) {
        int family = address instanceof Inet4Address ? NFPROTO_IPV4 : NFPROTO_IPV6;
        return List.of(
                new Meta(NFT_META_NFPROTO, NFT_REG_1), new Cmp(NFT_CMP_EQ, NFT_REG_1, new byte[] {(byte) family}));
    }

    /** {@code tcp dport PORT} or {@code udp dport PORT}. */
    static List<NftExpression> destinationPort(int protocol, int port) {
        return List.of(
                new Meta(NFT_META_L4PROTO, NFT_REG_1),
                new Cmp(NFT_CMP_EQ, NFT_REG_1, new byte[] {(byte) protocol}),
                new Payload(NFT_PAYLOAD_TRANSPORT_HEADER, DESTINATION_PORT, 2, NFT_REG_1),
                new Cmp(NFT_CMP_EQ, NFT_REG_1, NetlinkWriter.be16(port)));
    }

    /** {@code fib daddr type local}: the destination is an address of this host. */
    static List<NftExpression> destinationIsLocal() {
        byte[] local = new byte[Integer.BYTES];
        // The fib expression stores the route type as a u32 in host byte order.
        MemorySegment.ofArray(local).set(ValueLayout.JAVA_INT_UNALIGNED, 0, RouteNetlink.RTN_LOCAL);
        return List.of(new FibDestinationType(NFT_REG_1), new Cmp(NFT_CMP_EQ, NFT_REG_1, local));
    }

    /** {@code dnat ip to ADDRESS:PORT} (or ip6). */
    static List<NftExpression> destinationNat(InetAddress address, int port) {
        int family = address instanceof Inet4Address ? NFPROTO_IPV4 : NFPROTO_IPV6;
        return List.of(
                new Immediate(NFT_REG_1, address.getAddress()),
                new Immediate(NFT_REG_2, NetlinkWriter.be16(port)),
                new DestinationNat(family, NFT_REG_1, NFT_REG_2));
    }

    /** The protocol number of {@code tcp} or {@code udp}. */
    static int protocolNumber(String protocol) {
        return switch (protocol) {
            case "tcp" -> IPPROTO_TCP;
            case "udp" -> NfTablesNetlink.IPPROTO_UDP;
            default -> throw new IllegalArgumentException("protocol: must be tcp or udp, got \"" + protocol + "\"");
        };
    }

    /** An interface name as the kernel compares it: IFNAMSIZ bytes, NUL-padded. */
    private static List<NftExpression> interfaceName(int key, boolean equal, String name) {
        Links.checkName("interface name", name);
        byte[] padded = new byte[linux_h.IFNAMSIZ()];
        byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(bytes, 0, padded, 0, bytes.length);
        return List.of(new Meta(key, NFT_REG_1), new Cmp(equal ? NFT_CMP_EQ : NFT_CMP_NEQ, NFT_REG_1, padded));
    }
}
