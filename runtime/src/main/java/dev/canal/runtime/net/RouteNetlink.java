package dev.canal.runtime.net;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;

/**
 * rtnetlink (rtnetlink(7)): the message types, attributes and headers Canal uses to manage
 * links, addresses and routes, from {@code include/uapi/linux/rtnetlink.h}, {@code if_link.h},
 * {@code if_addr.h}, {@code veth.h} and {@code if.h}.
 *
 * <p>Written here rather than generated, as {@link Netlink} explains;
 * {@code NetlinkHeadersMatchCompilerTest} checks every value against the C headers.
 */
public final class RouteNetlink {

    // Message types (rtnetlink.h).
    public static final int RTM_NEWLINK = 16;
    public static final int RTM_DELLINK = 17;
    public static final int RTM_GETLINK = 18;
    public static final int RTM_NEWADDR = 20;
    public static final int RTM_DELADDR = 21;
    public static final int RTM_GETADDR = 22;
    public static final int RTM_NEWROUTE = 24;
    public static final int RTM_DELROUTE = 25;
    public static final int RTM_GETROUTE = 26;

    // Link attributes (if_link.h, enum IFLA_*).
    public static final int IFLA_ADDRESS = 1;
    public static final int IFLA_IFNAME = 3;
    public static final int IFLA_MTU = 4;
    public static final int IFLA_LINK = 5;
    public static final int IFLA_MASTER = 10;
    public static final int IFLA_LINKINFO = 18;
    public static final int IFLA_NET_NS_PID = 19;
    public static final int IFLA_IFALIAS = 20;
    public static final int IFLA_NET_NS_FD = 28;
    public static final int IFLA_NUM_TX_QUEUES = 31;
    public static final int IFLA_NUM_RX_QUEUES = 32;
    public static final int IFLA_INFO_KIND = 1;
    public static final int IFLA_INFO_DATA = 2;
    /** The peer of a new veth: a whole {@code ifinfomsg} and its attributes, nested (veth.h). */
    public static final int VETH_INFO_PEER = 1;

    // Interface flags (if.h).
    public static final int IFF_UP = 0x1;

    // Address attributes and flags (if_addr.h).
    public static final int IFA_ADDRESS = 1;
    public static final int IFA_LOCAL = 2;
    public static final int IFA_BROADCAST = 4;
    /** No duplicate address detection: an IPv6 address is usable at once instead of "tentative". */
    public static final int IFA_F_NODAD = 0x02;

    // Route attributes and rtmsg values (rtnetlink.h).
    public static final int RTA_DST = 1;
    public static final int RTA_OIF = 4;
    public static final int RTA_GATEWAY = 5;
    public static final int RTA_TABLE = 15;
    public static final int RT_TABLE_MAIN = 254;
    /** Routes an administrator added, as {@code ip route add} marks them. */
    public static final int RTPROT_BOOT = 3;

    public static final int RT_SCOPE_UNIVERSE = 0;
    public static final int RT_SCOPE_LINK = 253;
    public static final int RTN_UNICAST = 1;
    /** The route type of an address of this host, what nf_tables' fib expression reports. */
    public static final int RTN_LOCAL = 2;

    /** {@code struct ifinfomsg}: the fixed header of link messages. */
    public static final StructLayout IFINFOMSG = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("ifi_family"),
            ValueLayout.JAVA_BYTE.withName("__ifi_pad"),
            ValueLayout.JAVA_SHORT.withName("ifi_type"),
            ValueLayout.JAVA_INT.withName("ifi_index"),
            ValueLayout.JAVA_INT.withName("ifi_flags"),
            ValueLayout.JAVA_INT.withName("ifi_change"));

    /** {@code struct ifaddrmsg}: the fixed header of address messages. */
    public static final StructLayout IFADDRMSG = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("ifa_family"),
            ValueLayout.JAVA_BYTE.withName("ifa_prefixlen"),
            ValueLayout.JAVA_BYTE.withName("ifa_flags"),
            ValueLayout.JAVA_BYTE.withName("ifa_scope"),
            ValueLayout.JAVA_INT.withName("ifa_index"));

    /** {@code struct rtmsg}: the fixed header of route messages. */
    public static final StructLayout RTMSG = MemoryLayout.structLayout(
            ValueLayout.JAVA_BYTE.withName("rtm_family"),
            ValueLayout.JAVA_BYTE.withName("rtm_dst_len"),
            ValueLayout.JAVA_BYTE.withName("rtm_src_len"),
            ValueLayout.JAVA_BYTE.withName("rtm_tos"),
            ValueLayout.JAVA_BYTE.withName("rtm_table"),
            ValueLayout.JAVA_BYTE.withName("rtm_protocol"),
            ValueLayout.JAVA_BYTE.withName("rtm_scope"),
            ValueLayout.JAVA_BYTE.withName("rtm_type"),
            ValueLayout.JAVA_INT.withName("rtm_flags"));

    private RouteNetlink() {}
}
