package dev.canal.runtime.net;

import java.lang.foreign.Arena;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * rtnetlink requests written back to back and sent in one sendmsg(2). The kernel handles the
 * messages of a datagram one after the other and acks each (netlink_rcv_skb in
 * net/netlink/af_netlink.c): one system call instead of one per request, and one exchange. Unlike
 * an nf_tables batch nothing is all or nothing: a request after a refused one is still applied,
 * so a caller sends together only what it undoes together. The first error is thrown once every
 * ack is read, naming the request the kernel refused.
 */
public final class NetlinkRequests implements AutoCloseable {

    private final NetlinkSocket socket;
    private final Arena arena = Arena.ofConfined();
    private final NetlinkWriter messages = new NetlinkWriter(arena);
    private final Map<Integer, String> operations = new LinkedHashMap<>();

    /** Requests to send on {@code socket}. */
    public NetlinkRequests(NetlinkSocket socket) {
        this.socket = socket;
    }

    /**
     * Begins the next request, a message of {@code type} with {@code NLM_F_REQUEST | NLM_F_ACK}
     * and {@code flags}, which the caller fills and ends ({@link NetlinkWriter#end}).
     * {@code operation} names it in an error.
     */
    NetlinkWriter begin(String operation, int type, int flags) {
        int sequence = socket.nextSequence();
        operations.put(sequence, operation);
        return messages.begin(type, Netlink.NLM_F_REQUEST | Netlink.NLM_F_ACK | flags, sequence);
    }

    /** Sends every request begun so far and waits for all their acks. */
    public void send() {
        socket.requests(operations, messages.contents());
    }

    @Override
    public void close() {
        arena.close();
    }
}
