package dev.canal.runtime.net;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;

/**
 * A network interface as RTM_NEWLINK describes it (a dump's reply or a get's).
 *
 * @param index   the interface index, unique in its namespace
 * @param name    IFLA_IFNAME
 * @param kind    IFLA_INFO_KIND: {@code bridge}, {@code veth}...; empty for physical and loopback
 * @param master  the index of the bridge it is enslaved to (IFLA_MASTER), 0 when none
 * @param peer    the index of a veth's other end (IFLA_LINK), 0 when none
 * @param mtu     IFLA_MTU
 * @param flags   {@code ifi_flags}: IFF_UP and friends
 * @param alias   IFLA_IFALIAS, empty when none; Canal marks the bridges it makes with it
 */
public record Link(int index, String name, String kind, int master, int peer, int mtu, int flags, String alias) {

    private static final long INDEX = RouteNetlink.IFINFOMSG.byteOffset(groupElement("ifi_index"));
    private static final long FLAGS = RouteNetlink.IFINFOMSG.byteOffset(groupElement("ifi_flags"));
    private static final long HEADERS = Netlink.NLMSGHDR.byteSize() + RouteNetlink.IFINFOMSG.byteSize();

    /** Whether the administrator (Canal) set it up (IFF_UP). */
    public boolean isUp() {
        return (flags & RouteNetlink.IFF_UP) != 0;
    }

    /** Parses one RTM_NEWLINK message, {@code nlmsghdr} included. */
    static Link parse(MemorySegment message) {
        MemorySegment info = message.asSlice(Netlink.NLMSGHDR.byteSize());
        List<NetlinkAttribute> attributes = NetlinkAttribute.parse(message.asSlice(HEADERS));
        String kind = NetlinkAttribute.find(attributes, RouteNetlink.IFLA_LINKINFO)
                .flatMap(linkInfo -> NetlinkAttribute.find(linkInfo.nested(), RouteNetlink.IFLA_INFO_KIND))
                .map(NetlinkAttribute::string)
                .orElse("");
        return new Link(
                info.get(ValueLayout.JAVA_INT_UNALIGNED, INDEX),
                text(attributes, RouteNetlink.IFLA_IFNAME),
                kind,
                number(attributes, RouteNetlink.IFLA_MASTER),
                number(attributes, RouteNetlink.IFLA_LINK),
                number(attributes, RouteNetlink.IFLA_MTU),
                info.get(ValueLayout.JAVA_INT_UNALIGNED, FLAGS),
                text(attributes, RouteNetlink.IFLA_IFALIAS));
    }

    private static String text(List<NetlinkAttribute> attributes, int type) {
        return NetlinkAttribute.find(attributes, type)
                .map(NetlinkAttribute::string)
                .orElse("");
    }

    private static int number(List<NetlinkAttribute> attributes, int type) {
        return NetlinkAttribute.find(attributes, type)
                .map(NetlinkAttribute::u32)
                .orElse(0);
    }
}
