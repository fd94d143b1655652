package dev.canal.runtime.net;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * The netlink wire format shared by every netlink family (netlink(7)): constants and struct
 * layouts of {@code include/uapi/linux/netlink.h}.
 *
 * <p>Written here rather than generated: the committed jextract bindings do not include the
 * netlink headers, and most of netlink's format is macros jextract cannot render anyway
 * ({@code NLMSG_ALIGN}, {@code NLA_ALIGN}). {@code NetlinkHeadersMatchCompilerTest} compiles
 * the same names with gcc against the machine's UAPI headers and fails if any value, size or
 * offset here differs.
 */
public final class Netlink {

    // Protocols of socket(AF_NETLINK, SOCK_RAW, protocol).
    public static final int NETLINK_ROUTE = 0;
    public static final int NETLINK_NETFILTER = 12;

    // From the C library's sys/socket.h, which the committed bindings leave out.
    public static final int SOCK_RAW = 3;
    /** recvmsg(2): return the datagram's real length even when the buffer is smaller. */
    public static final int MSG_TRUNC = 0x20;

    // setsockopt(2) level and options (netlink(7)).
    public static final int SOL_NETLINK = 270;
    /** Acks carry only the header of the request that failed, not the whole request. */
    public static final int NETLINK_CAP_ACK = 10;
    /** Errors carry the kernel's own explanation, {@code NLMSGERR_ATTR_MSG} (Linux 4.12). */
    public static final int NETLINK_EXT_ACK = 11;

    // nlmsghdr.nlmsg_type values every family shares.
    public static final int NLMSG_ERROR = 2;
    public static final int NLMSG_DONE = 3;

    // nlmsghdr.nlmsg_flags.
    public static final int NLM_F_REQUEST = 0x1;
    public static final int NLM_F_ACK = 0x4;
    /** Send the requester the notification the change makes (rtnetlink honours it since Linux 6.3). */
    public static final int NLM_F_ECHO = 0x8;

    public static final int NLM_F_DUMP = 0x300;
    public static final int NLM_F_EXCL = 0x200;
    public static final int NLM_F_CREATE = 0x400;
    public static final int NLM_F_APPEND = 0x800;
    /** In an ack: the request was not copied back ({@code NETLINK_CAP_ACK}). */
    public static final int NLM_F_CAPPED = 0x100;
    /** In an ack: extended-ack attributes follow the request. */
    public static final int NLM_F_ACK_TLVS = 0x200;

    // Extended-ack attributes (enum nlmsgerr_attrs).
    public static final int NLMSGERR_ATTR_MSG = 1;

    // struct nlattr's type field: the top bits are flags.
    public static final int NLA_F_NESTED = 1 << 15;
    public static final int NLA_F_NET_BYTEORDER = 1 << 14;
    public static final int NLA_TYPE_MASK = ~(NLA_F_NESTED | NLA_F_NET_BYTEORDER);

    /** Messages start on 4 bytes ({@code NLMSG_ALIGN}), and so do attributes ({@code NLA_ALIGNTO}). */
    public static final int NLMSG_ALIGNTO = 4;

    public static final int NLA_ALIGNTO = 4;

    /** {@code struct nlmsghdr}: every netlink message starts with it. */
    public static final StructLayout NLMSGHDR = MemoryLayout.structLayout(
            ValueLayout.JAVA_INT.withName("nlmsg_len"),
            ValueLayout.JAVA_SHORT.withName("nlmsg_type"),
            ValueLayout.JAVA_SHORT.withName("nlmsg_flags"),
            ValueLayout.JAVA_INT.withName("nlmsg_seq"),
            ValueLayout.JAVA_INT.withName("nlmsg_pid"));

    /** {@code struct nlmsgerr}: the payload of NLMSG_ERROR, an ack when {@code error} is 0. */
    public static final StructLayout NLMSGERR =
            MemoryLayout.structLayout(ValueLayout.JAVA_INT.withName("error"), NLMSGHDR.withName("msg"));

    /** {@code struct nlattr} (the same as rtnetlink's {@code struct rtattr}): length, then type. */
    public static final StructLayout NLATTR = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("nla_len"), ValueLayout.JAVA_SHORT.withName("nla_type"));

    /** {@code struct sockaddr_nl}: the address bind(2) and sendmsg(2) take; pid 0 is the kernel. */
    public static final StructLayout SOCKADDR_NL = MemoryLayout.structLayout(
            ValueLayout.JAVA_SHORT.withName("nl_family"),
            ValueLayout.JAVA_SHORT.withName("nl_pad"),
            ValueLayout.JAVA_INT.withName("nl_pid"),
            ValueLayout.JAVA_INT.withName("nl_groups"));

    private Netlink() {}

    /** {@code NLMSG_ALIGN(len)} and {@code NLA_ALIGN(len)}: rounded up to 4 bytes. */
    public static int align(int length) {
        return (length + NLMSG_ALIGNTO - 1) & ~(NLMSG_ALIGNTO - 1);
    }
}
