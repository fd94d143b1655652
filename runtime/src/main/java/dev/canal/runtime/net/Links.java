package dev.canal.runtime.net;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.canal.bindings.linux.linux_h;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Network interfaces over rtnetlink (rtnetlink(7), RTM_NEWLINK, RTM_DELLINK, RTM_GETLINK):
 * bridges, veth pairs, their master, MTU, state and namespace. Each method is one request on
 * {@code socket}, a NETLINK_ROUTE socket of the namespace the links live in; an interface is
 * named by IFLA_IFNAME, which the kernel resolves itself.
 */
public final class Links {

    private static final long FAMILY = RouteNetlink.IFINFOMSG.byteOffset(groupElement("ifi_family"));
    private static final long INDEX = RouteNetlink.IFINFOMSG.byteOffset(groupElement("ifi_index"));
    private static final long FLAGS = RouteNetlink.IFINFOMSG.byteOffset(groupElement("ifi_flags"));
    private static final long CHANGE = RouteNetlink.IFINFOMSG.byteOffset(groupElement("ifi_change"));
    private static final int CREATE =
            Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | Netlink.NLM_F_CREATE | Netlink.NLM_F_EXCL;
    private static final int CHANGE_FLAGS = Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK;

    /** What a message does to IFF_UP: {@code ifi_flags} and {@code ifi_change}. */
    private enum UpState {
        UP,
        DOWN,
        UNCHANGED
    }

    private Links() {}

    /**
     * Creates bridge {@code name}, up, marked with {@code alias} (IFLA_IFALIAS) when it is not
     * empty; {@code mtu} 0 keeps the kernel's default.
     */
    public static void createBridge(NetlinkSocket socket, String name, int mtu, String alias) {
        checkName("bridge name", name);
        try (var arena = Arena.ofConfined()) {
            var message = newLink(arena, socket, RouteNetlink.RTM_NEWLINK, CREATE, UpState.UP);
            message.string(RouteNetlink.IFLA_IFNAME, name);
            mtu(message, mtu);
            int linkInfo = message.beginNested(RouteNetlink.IFLA_LINKINFO);
            message.string(RouteNetlink.IFLA_INFO_KIND, "bridge");
            message.endNested(linkInfo);
            socket.request("create bridge " + name, message.end());
        }
        if (!alias.isEmpty()) {
            // rtnetlink applies IFLA_IFALIAS on a change, not on a creation: a second request.
            setAlias(socket, name, alias);
        }
    }

    /**
     * Creates a veth pair: {@code name} here, up and enslaved to the bridge whose index is
     * {@code masterIndex} (0 for none), and {@code peerName}, down, in {@code peerNamespace}
     * (null: here too), with hardware address {@code peerAddress} (null: random). One request
     * does it: the kernel creates the peer directly in the other namespace, so nothing is moved
     * or renamed. Returns the peer's interface index in its namespace, or 0 if the kernel
     * (before Linux 6.3) did not tell.
     */
    public static int createVeth(
            NetlinkSocket socket,
            String name,
            int masterIndex,
            String peerName,
            NetworkNamespace peerNamespace,
            byte[] peerAddress,
            int mtu) {
        checkName("veth name", name);
        checkName("veth peer name", peerName);
        var created = new ArrayList<Link>();
        try (var arena = Arena.ofConfined()) {
            // NLM_F_ECHO: the kernel sends back the new link as its notification says it
            // (rtnl_configure_link), IFLA_LINK included: the peer's index, which the peer's
            // address and routes need, without asking the peer's namespace for it.
            var message = newLink(arena, socket, RouteNetlink.RTM_NEWLINK, CREATE | Netlink.NLM_F_ECHO, UpState.UP);
            message.string(RouteNetlink.IFLA_IFNAME, name);
            mtu(message, mtu);
            singleQueue(message);
            if (masterIndex != 0) {
                message.u32(RouteNetlink.IFLA_MASTER, masterIndex);
            }
            int linkInfo = message.beginNested(RouteNetlink.IFLA_LINKINFO);
            message.string(RouteNetlink.IFLA_INFO_KIND, "veth");
            int data = message.beginNested(RouteNetlink.IFLA_INFO_DATA);
            int peer = message.beginNested(RouteNetlink.VETH_INFO_PEER);
            // VETH_INFO_PEER holds a whole ifinfomsg and the peer's own IFLA_* attributes. The
            // peer cannot be set up here: it is opened before it is joined to this end, and a
            // veth without its other end refuses to open (veth_open: ENOTCONN).
            linkHeader(message, UpState.UNCHANGED);
            message.string(RouteNetlink.IFLA_IFNAME, peerName);
            mtu(message, mtu);
            singleQueue(message);
            if (peerAddress != null) {
                message.bytes(RouteNetlink.IFLA_ADDRESS, peerAddress);
            }
            if (peerNamespace != null) {
                message.u32(RouteNetlink.IFLA_NET_NS_FD, peerNamespace.fd().fd());
            }
            message.endNested(peer);
            message.endNested(data);
            message.endNested(linkInfo);
            socket.request(
                    "create veth " + name + " (peer " + peerName + (peerNamespace == null ? "" : " in " + peerNamespace)
                            + ")",
                    message.end(),
                    reply -> created.add(Link.parse(reply)));
        }
        return created.stream()
                .filter(link -> link.name().equals(name))
                .mapToInt(Link::peer)
                .findFirst()
                .orElse(0);
    }

    /**
     * One transmit and one receive queue. A veth otherwise gets one of each per possible CPU
     * (veth_get_num_queues), each registered in sysfs with its files, on both ends; its queues
     * serve only XDP and GRO (veth_xdp_rcv), which a container's veth does not use.
     */
    private static void singleQueue(NetlinkWriter message) {
        message.u32(RouteNetlink.IFLA_NUM_TX_QUEUES, 1);
        message.u32(RouteNetlink.IFLA_NUM_RX_QUEUES, 1);
    }

    /** Sets IFF_UP on {@code name}, or clears it. */
    public static void setUp(NetlinkSocket socket, String name, boolean up) {
        try (var requests = new NetlinkRequests(socket)) {
            setUp(requests, name, up);
            requests.send();
        }
    }

    /** {@link #setUp(NetlinkSocket, String, boolean)} as one of {@code requests}, sent with them. */
    public static void setUp(NetlinkRequests requests, String name, boolean up) {
        var message = requests.begin("set " + name + (up ? " up" : " down"), RouteNetlink.RTM_NEWLINK, 0);
        linkHeader(message, up ? UpState.UP : UpState.DOWN);
        message.string(RouteNetlink.IFLA_IFNAME, name);
        message.end();
    }

    /** Sets the alias (IFLA_IFALIAS) of {@code name}: free text, up to 255 bytes. */
    public static void setAlias(NetlinkSocket socket, String name, String alias) {
        change(socket, "set alias of " + name, name, m -> m.string(RouteNetlink.IFLA_IFALIAS, alias));
    }

    /** Sets the MTU of {@code name}. */
    public static void setMtu(NetlinkSocket socket, String name, int mtu) {
        if (mtu <= 0) {
            throw new IllegalArgumentException("mtu: must be positive, got " + mtu);
        }
        change(socket, "set mtu of " + name + " to " + mtu, name, m -> m.u32(RouteNetlink.IFLA_MTU, mtu));
    }

    /** Enslaves {@code name} to bridge {@code master}, or frees it when {@code master} is empty. */
    public static void setMaster(NetlinkSocket socket, String name, String master) {
        int index = master.isEmpty() ? 0 : get(socket, master).index();
        change(
                socket,
                "set master of " + name + " to " + (master.isEmpty() ? "none" : master),
                name,
                m -> m.u32(RouteNetlink.IFLA_MASTER, index));
    }

    /** Moves {@code name} into {@code namespace} (IFLA_NET_NS_FD); it arrives down. */
    public static void moveTo(NetlinkSocket socket, String name, NetworkNamespace namespace) {
        change(
                socket,
                "move " + name + " to " + namespace,
                name,
                m -> m.u32(RouteNetlink.IFLA_NET_NS_FD, namespace.fd().fd()));
    }

    /** Moves {@code name} into the network namespace of process {@code pid} (IFLA_NET_NS_PID). */
    public static void moveToPid(NetlinkSocket socket, String name, int pid) {
        change(
                socket,
                "move " + name + " to the network namespace of pid " + pid,
                name,
                m -> m.u32(RouteNetlink.IFLA_NET_NS_PID, pid));
    }

    /** Deletes {@code name}; deleting one end of a veth pair deletes both. */
    public static void delete(NetlinkSocket socket, String name) {
        try (var arena = Arena.ofConfined()) {
            var message = newLink(arena, socket, RouteNetlink.RTM_DELLINK, CHANGE_FLAGS, UpState.UNCHANGED);
            message.string(RouteNetlink.IFLA_IFNAME, name);
            socket.request("delete link " + name, message.end());
        }
    }

    /** The interface called {@code name}; throws with ENODEV when there is none. */
    public static Link get(NetlinkSocket socket, String name) {
        var found = new ArrayList<Link>();
        try (var arena = Arena.ofConfined()) {
            var message = newLink(arena, socket, RouteNetlink.RTM_GETLINK, CHANGE_FLAGS, UpState.UNCHANGED);
            message.string(RouteNetlink.IFLA_IFNAME, name);
            socket.request("get link " + name, message.end(), reply -> found.add(Link.parse(reply)));
        }
        return found.getFirst();
    }

    /** The interface called {@code name}, if there is one. */
    public static Optional<Link> find(NetlinkSocket socket, String name) {
        return list(socket).stream().filter(link -> link.name().equals(name)).findFirst();
    }

    /** Every interface of the socket's namespace: an RTM_GETLINK dump. */
    public static List<Link> list(NetlinkSocket socket) {
        var links = new ArrayList<Link>();
        try (var arena = Arena.ofConfined()) {
            var message = newLink(
                    arena,
                    socket,
                    RouteNetlink.RTM_GETLINK,
                    Netlink.NLM_F_REQUEST | Netlink.NLM_F_DUMP,
                    UpState.UNCHANGED);
            socket.dump("list links", message.end(), reply -> links.add(Link.parse(reply)));
        }
        return links;
    }

    private static void change(
            NetlinkSocket socket, String operation, String name, Consumer<NetlinkWriter> attributes) {
        try (var arena = Arena.ofConfined()) {
            var message = newLink(arena, socket, RouteNetlink.RTM_NEWLINK, CHANGE_FLAGS, UpState.UNCHANGED);
            message.string(RouteNetlink.IFLA_IFNAME, name);
            attributes.accept(message);
            socket.request(operation, message.end());
        }
    }

    /** Starts a link message: {@code nlmsghdr} and an {@code ifinfomsg} for any interface. */
    private static NetlinkWriter newLink(Arena arena, NetlinkSocket socket, int type, int flags, UpState up) {
        var message = new NetlinkWriter(arena).begin(type, flags, socket.nextSequence());
        linkHeader(message, up);
        return message;
    }

    /**
     * An {@code ifinfomsg}: family AF_UNSPEC, index 0 (the name attribute says which), and
     * IFF_UP in {@code ifi_flags} with {@code ifi_change} saying the flag is meant.
     */
    private static void linkHeader(NetlinkWriter message, UpState up) {
        MemorySegment info = message.header(RouteNetlink.IFINFOMSG);
        info.set(ValueLayout.JAVA_BYTE, FAMILY, (byte) linux_h.AF_UNSPEC());
        info.set(ValueLayout.JAVA_INT_UNALIGNED, INDEX, 0);
        info.set(ValueLayout.JAVA_INT_UNALIGNED, FLAGS, up == UpState.UP ? RouteNetlink.IFF_UP : 0);
        info.set(ValueLayout.JAVA_INT_UNALIGNED, CHANGE, up == UpState.UNCHANGED ? 0 : RouteNetlink.IFF_UP);
    }

    private static void mtu(NetlinkWriter message, int mtu) {
        if (mtu < 0) {
            throw new IllegalArgumentException("mtu: must not be negative, got " + mtu);
        }
        if (mtu > 0) {
            message.u32(RouteNetlink.IFLA_MTU, mtu);
        }
    }

    /** Interface names are at most IFNAMSIZ - 1 = 15 bytes, without '/', ':' or blanks (dev_valid_name). */
    static void checkName(String what, String name) {
        if (name.isEmpty()
                || name.length() >= linux_h.IFNAMSIZ()
                || name.equals(".")
                || name.equals("..")
                || name.chars().anyMatch(c -> c == '/' || c == ':' || Character.isWhitespace(c) || c > 0x7e)) {
            throw new IllegalArgumentException(
                    what + ": \"" + name + "\" is not an interface name (1 to 15 characters, no '/', ':' or blanks)");
        }
    }
}
