package dev.canal.runtime.net;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * IP addresses of interfaces over rtnetlink (RTM_NEWADDR, RTM_DELADDR, RTM_GETADDR). Adding an
 * address also makes the kernel add the route to its subnet through the interface.
 */
public final class Addresses {

    private static final long FAMILY = RouteNetlink.IFADDRMSG.byteOffset(groupElement("ifa_family"));
    private static final long PREFIX = RouteNetlink.IFADDRMSG.byteOffset(groupElement("ifa_prefixlen"));
    private static final long FLAGS = RouteNetlink.IFADDRMSG.byteOffset(groupElement("ifa_flags"));
    private static final long SCOPE = RouteNetlink.IFADDRMSG.byteOffset(groupElement("ifa_scope"));
    private static final long INDEX = RouteNetlink.IFADDRMSG.byteOffset(groupElement("ifa_index"));
    private static final long HEADERS = Netlink.NLMSGHDR.byteSize() + RouteNetlink.IFADDRMSG.byteSize();

    /** An address of interface {@code index}. */
    public record Assigned(int index, IpPrefix address) {}

    private Addresses() {}

    /**
     * Adds {@code address} (for example 172.18.0.1/16, with its broadcast 172.18.255.255) to interface {@code index}. IPv6
     * addresses skip duplicate address detection (IFA_F_NODAD), as Docker does: on a bridge
     * Canal manages, no one else holds them, and they are usable at once.
     */
    public static void add(NetlinkSocket socket, int index, IpPrefix address) {
        try (var requests = new NetlinkRequests(socket)) {
            add(requests, index, address);
            requests.send();
        }
    }

    /** {@link #add(NetlinkSocket, int, IpPrefix)} as one of {@code requests}, sent with them. */
    public static void add(NetlinkRequests requests, int index, IpPrefix address) {
        write(
                requests.begin(
                        "add address " + address + " to interface " + index,
                        RouteNetlink.RTM_NEWADDR,
                        Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL),
                index,
                address);
    }

    /** Removes {@code address} from interface {@code index}. */
    public static void delete(NetlinkSocket socket, int index, IpPrefix address) {
        try (var requests = new NetlinkRequests(socket)) {
            write(
                    requests.begin(
                            "delete address " + address + " from interface " + index, RouteNetlink.RTM_DELADDR, 0),
                    index,
                    address);
            requests.send();
        }
    }

    /** Every address of the socket's namespace: an RTM_GETADDR dump of both families. */
    public static List<Assigned> list(NetlinkSocket socket) {
        var addresses = new ArrayList<Assigned>();
        try (var arena = Arena.ofConfined()) {
            var message = new NetlinkWriter(arena)
                    .begin(RouteNetlink.RTM_GETADDR, Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP, socket.nextSequence());
            message.header(RouteNetlink.IFADDRMSG).set(ValueLayout.JAVA_BYTE, FAMILY, (byte) linux_h.AF_UNSPEC());
            socket.dump("list addresses", message.end(), reply -> addresses.add(parse(reply)));
        }
        return addresses;
    }

    /** Fills {@code message}, begun, with an {@code ifaddrmsg} for {@code address} on {@code index}, and ends it. */
    private static void write(NetlinkWriter message, int index, IpPrefix address) {
        InetAddress ip = address.address();
        MemorySegment header = message.header(RouteNetlink.IFADDRMSG);
        header.set(ValueLayout.JAVA_BYTE, FAMILY, (byte) family(ip));
        header.set(ValueLayout.JAVA_BYTE, PREFIX, (byte) address.length());
        header.set(ValueLayout.JAVA_BYTE, FLAGS, (byte) (ip instanceof Inet6Address ? RouteNetlink.IFA_F_NODAD : 0));
        header.set(ValueLayout.JAVA_BYTE, SCOPE, (byte) RouteNetlink.RT_SCOPE_UNIVERSE);
        header.set(ValueLayout.JAVA_INT_UNALIGNED, INDEX, index);
        // IFA_LOCAL is the interface's own address; IFA_ADDRESS the same on a non
        // point-to-point link (rtnetlink(7)).
        message.bytes(RouteNetlink.IFA_LOCAL, ip.getAddress());
        message.bytes(RouteNetlink.IFA_ADDRESS, ip.getAddress());
        // The subnet's broadcast address, as docker's interfaces have it ("brd 172.17.255.255"):
        // without it the kernel treats 172.17.255.255 as a unicast address, and a datagram sent
        // to the subnet's broadcast goes nowhere.
        address.broadcast().ifPresent(broadcast -> message.bytes(RouteNetlink.IFA_BROADCAST, broadcast.getAddress()));
        message.end();
    }

    private static Assigned parse(MemorySegment reply) {
        MemorySegment header = reply.asSlice(Netlink.NLMSGHDR.byteSize());
        var attributes = NetlinkAttribute.parse(reply.asSlice(HEADERS));
        byte[] bytes = NetlinkAttribute.find(attributes, RouteNetlink.IFA_LOCAL)
                .or(() -> NetlinkAttribute.find(attributes, RouteNetlink.IFA_ADDRESS))
                .orElseThrow(() -> new IllegalStateException("RTM_NEWADDR without an address"))
                .bytes();
        int length = Byte.toUnsignedInt(header.get(ValueLayout.JAVA_BYTE, PREFIX));
        return new Assigned(
                header.get(ValueLayout.JAVA_INT_UNALIGNED, INDEX), new IpPrefix(IpPrefix.of(bytes), length));
    }

    static int family(InetAddress address) {
        return address instanceof Inet6Address ? linux_h.AF_INET6() : linux_h.AF_INET();
    }
}
