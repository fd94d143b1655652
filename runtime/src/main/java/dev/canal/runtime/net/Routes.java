package dev.canal.runtime.net;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Routes of the main table over rtnetlink (RTM_NEWROUTE, RTM_DELROUTE, RTM_GETROUTE). */
public final class Routes {

    private static final long FAMILY = RouteNetlink.RTMSG.byteOffset(groupElement("rtm_family"));
    private static final long DESTINATION_LENGTH = RouteNetlink.RTMSG.byteOffset(groupElement("rtm_dst_len"));
    private static final long TABLE = RouteNetlink.RTMSG.byteOffset(groupElement("rtm_table"));
    private static final long PROTOCOL = RouteNetlink.RTMSG.byteOffset(groupElement("rtm_protocol"));
    private static final long SCOPE = RouteNetlink.RTMSG.byteOffset(groupElement("rtm_scope"));
    private static final long TYPE = RouteNetlink.RTMSG.byteOffset(groupElement("rtm_type"));
    private static final long HEADERS = Netlink.NLMSGHDR.byteSize() + RouteNetlink.RTMSG.byteSize();

    /**
     * A route: to {@code destination} (0.0.0.0/0 or ::/0 for the default route), through
     * {@code gateway} when it is not directly reachable, out of interface {@code index}.
     */
    public record Route(IpPrefix destination, Optional<InetAddress> gateway, int index) {}

    private Routes() {}

    /**
     * Adds a route to {@code destination} via {@code gateway} (null: directly on the link) out
     * of interface {@code index}. A default route is destination 0.0.0.0/0 (or ::/0).
     */
    public static void add(NetlinkSocket socket, IpPrefix destination, InetAddress gateway, int index) {
        try (var requests = new NetlinkRequests(socket)) {
            add(requests, destination, gateway, index);
            requests.send();
        }
    }

    /** {@link #add(NetlinkSocket, IpPrefix, InetAddress, int)} as one of {@code requests}, sent with them. */
    public static void add(NetlinkRequests requests, IpPrefix destination, InetAddress gateway, int index) {
        write(
                requests.begin(
                        "add route to " + destination + (gateway == null ? "" : " via " + gateway.getHostAddress()),
                        RouteNetlink.RTM_NEWROUTE,
                        Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL),
                destination,
                gateway,
                index);
    }

    /** Removes the route {@link #add} added. */
    public static void delete(NetlinkSocket socket, IpPrefix destination, InetAddress gateway, int index) {
        try (var requests = new NetlinkRequests(socket)) {
            write(
                    requests.begin("delete route to " + destination, RouteNetlink.RTM_DELROUTE, 0),
                    destination,
                    gateway,
                    index);
            requests.send();
        }
    }

    /** The routes of the main table of {@code family} (AF_INET, AF_INET6): an RTM_GETROUTE dump. */
    public static List<Route> list(NetlinkSocket socket, int family) {
        var routes = new ArrayList<Route>();
        try (var arena = Arena.ofConfined()) {
            var message = new NetlinkWriter(arena)
                    .begin(
                            RouteNetlink.RTM_GETROUTE,
                            Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP,
                            socket.nextSequence());
            message.header(RouteNetlink.RTMSG).set(ValueLayout.JAVA_BYTE, FAMILY, (byte) family);
            socket.dump("list routes", message.end(), reply -> parse(reply).ifPresent(routes::add));
        }
        return routes;
    }

    /** Fills {@code message}, begun, with an {@code rtmsg} and the route's attributes, and ends it. */
    private static void write(NetlinkWriter message, IpPrefix destination, InetAddress gateway, int index) {
        MemorySegment header = message.header(RouteNetlink.RTMSG);
        header.set(ValueLayout.JAVA_BYTE, FAMILY, (byte) Addresses.family(destination.address()));
        header.set(ValueLayout.JAVA_BYTE, DESTINATION_LENGTH, (byte) destination.length());
        header.set(ValueLayout.JAVA_BYTE, TABLE, (byte) RouteNetlink.RT_TABLE_MAIN);
        header.set(ValueLayout.JAVA_BYTE, PROTOCOL, (byte) RouteNetlink.RTPROT_BOOT);
        // A route through a gateway reaches beyond the link (universe); one without is
        // confined to the link, as the kernel's own subnet routes are.
        int scope = gateway == null ? RouteNetlink.RT_SCOPE_LINK : RouteNetlink.RT_SCOPE_UNIVERSE;
        header.set(ValueLayout.JAVA_BYTE, SCOPE, (byte) scope);
        header.set(ValueLayout.JAVA_BYTE, TYPE, (byte) RouteNetlink.RTN_UNICAST);
        if (destination.length() > 0) {
            message.bytes(RouteNetlink.RTA_DST, destination.network().address().getAddress());
        }
        if (gateway != null) {
            message.bytes(RouteNetlink.RTA_GATEWAY, gateway.getAddress());
        }
        message.u32(RouteNetlink.RTA_OIF, index);
        message.end();
    }

    /** A route of the main table; others (local, multicast...) are left out. */
    private static Optional<Route> parse(MemorySegment reply) {
        MemorySegment header = reply.asSlice(Netlink.NLMSGHDR.byteSize());
        var attributes = NetlinkAttribute.parse(reply.asSlice(HEADERS));
        int table = NetlinkAttribute.find(attributes, RouteNetlink.RTA_TABLE)
                .map(NetlinkAttribute::u32)
                .orElse(Byte.toUnsignedInt(header.get(ValueLayout.JAVA_BYTE, TABLE)));
        if (table != RouteNetlink.RT_TABLE_MAIN) {
            return Optional.empty();
        }
        int family = header.get(ValueLayout.JAVA_BYTE, FAMILY);
        int length = Byte.toUnsignedInt(header.get(ValueLayout.JAVA_BYTE, DESTINATION_LENGTH));
        byte[] destination = NetlinkAttribute.find(attributes, RouteNetlink.RTA_DST)
                .map(NetlinkAttribute::bytes)
                .orElse(new byte[family == linux_h.AF_INET6() ? 16 : 4]);
        return Optional.of(new Route(
                new IpPrefix(IpPrefix.of(destination), length),
                NetlinkAttribute.find(attributes, RouteNetlink.RTA_GATEWAY).map(a -> IpPrefix.of(a.bytes())),
                NetlinkAttribute.find(attributes, RouteNetlink.RTA_OIF)
                        .map(NetlinkAttribute::u32)
                        .orElse(0)));
    }
}
