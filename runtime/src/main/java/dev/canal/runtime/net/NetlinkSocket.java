package dev.canal.runtime.net;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import dev.canal.bindings.linux.iovec;
import dev.canal.bindings.linux.linux_h;
import dev.canal.bindings.linux.msghdr;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.Syscall;
import dev.canal.runtime.sys.SyscallNumbers;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * A netlink socket talking to the kernel (netlink(7)): requests answered by an ack, dumps
 * answered by many messages and NLMSG_DONE, and nf_tables batches answered by one ack per
 * message.
 *
 * <p>A netlink socket belongs to the network namespace of the thread that created it, for its
 * whole life, whichever thread uses it later. So one socket per namespace is enough: a socket
 * opened by a thread that had entered a container's namespace keeps talking to that namespace
 * ({@link NetworkNamespace#openSocket}). Not thread-safe: one request at a time.
 */
public final class NetlinkSocket implements AutoCloseable {

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final int HEADER = (int) Netlink.NLMSGHDR.byteSize();
    private static final long TYPE = Netlink.NLMSGHDR.byteOffset(groupElement("nlmsg_type"));
    private static final long FLAGS = Netlink.NLMSGHDR.byteOffset(groupElement("nlmsg_flags"));
    private static final long SEQUENCE = Netlink.NLMSGHDR.byteOffset(groupElement("nlmsg_seq"));
    /** Where the echoed request's header starts inside an NLMSG_ERROR payload. */
    private static final long ERROR_REQUEST = Netlink.NLMSGERR.byteOffset(groupElement("msg"));

    private final OwnedFd fd;
    private final int protocol;
    private int sequence;

    private NetlinkSocket(OwnedFd fd, int protocol) {
        this.fd = fd;
        this.protocol = protocol;
    }

    /**
     * Opens a netlink socket of {@code protocol} ({@link Netlink#NETLINK_ROUTE},
     * {@link Netlink#NETLINK_NETFILTER}) in the calling thread's network namespace.
     */
    public static NetlinkSocket open(int protocol) {
        // socket(2): a raw netlink socket; messages are whole datagrams.
        var fd = OwnedFd.adopt((int) Syscall.call(
                "socket",
                "AF_NETLINK protocol " + protocol,
                SyscallNumbers.SOCKET,
                linux_h.AF_NETLINK(),
                Netlink.SOCK_RAW | linux_h.SOCK_CLOEXEC(),
                protocol));
        try (var arena = Arena.ofConfined()) {
            // netlink(7): errors carry the kernel's text (NETLINK_EXT_ACK) and not a copy of
            // the whole request (NETLINK_CAP_ACK), so a big batch's errors stay small.
            setOption(arena, fd, Netlink.NETLINK_EXT_ACK);
            setOption(arena, fd, Netlink.NETLINK_CAP_ACK);
            // bind(2) with nl_pid 0: the kernel picks this socket's port id.
            MemorySegment address = arena.allocate(Netlink.SOCKADDR_NL);
            address.set(SHORT, 0, (short) linux_h.AF_NETLINK());
            Syscall.call("bind", "AF_NETLINK", SyscallNumbers.BIND, fd.fd(), address.address(), address.byteSize());
            return new NetlinkSocket(fd, protocol);
        } catch (RuntimeException e) {
            fd.close();
            throw e;
        }
    }

    private static void setOption(Arena arena, OwnedFd fd, int option) {
        MemorySegment on = arena.allocateFrom(ValueLayout.JAVA_INT, 1);
        Syscall.call(
                "setsockopt",
                "SOL_NETLINK " + option,
                SyscallNumbers.SETSOCKOPT,
                fd.fd(),
                Netlink.SOL_NETLINK,
                option,
                on.address(),
                Integer.BYTES);
    }

    /** The netlink protocol this socket speaks. */
    public int protocol() {
        return protocol;
    }

    /** A sequence number for the next message; replies carry it back. */
    public int nextSequence() {
        return ++sequence;
    }

    /**
     * Sends one request built with {@code NLM_F_ACK} and waits for its ack.
     *
     * @param operation what the request does, for the error message
     * @throws NetlinkException when the kernel answers with an error
     */
    public void request(String operation, NetlinkWriter message) {
        request(operation, message, reply -> {});
    }

    /**
     * {@link #request(String, NetlinkWriter)} for a request the kernel answers with data before
     * its ack (a get of one object): each data message goes to {@code onReply}.
     */
    public void request(String operation, NetlinkWriter message, Consumer<MemorySegment> onReply) {
        transact(message.contents(), Set.of(sequenceOf(message.contents())), -1, sequence -> operation, onReply);
    }

    /**
     * Sends several requests, each built with {@code NLM_F_ACK}, in one datagram and waits for
     * all their acks; {@code operations} says what each does, by sequence ({@link NetlinkRequests}).
     */
    void requests(Map<Integer, String> operations, MemorySegment messages) {
        transact(messages, operations.keySet(), -1, operations::get, reply -> {});
    }

    /**
     * Sends a dump request ({@code NLM_F_DUMP}) and hands each reply message (header included)
     * to {@code onMessage}, until the kernel's NLMSG_DONE. The segments are valid only during
     * the call.
     */
    public void dump(String operation, NetlinkWriter message, Consumer<MemorySegment> onMessage) {
        int request = sequenceOf(message.contents());
        transact(message.contents(), Set.of(request), request, sequence -> operation, onMessage);
    }

    /**
     * Sends an nf_tables batch: {@code batchSequence} is the sequence of its BATCH_BEGIN
     * message, and {@code changes} says what each message flagged {@code NLM_F_ACK} does, by
     * sequence. The kernel answers each of those (it does not stop at the first error); an
     * error about the batch itself (a failed commit) comes with the BATCH_BEGIN's sequence.
     * The error names {@code operation} and the change the kernel refused.
     */
    public void batch(String operation, MemorySegment messages, int batchSequence, Map<Integer, String> changes) {
        var awaited = new HashSet<>(changes.keySet());
        awaited.add(batchSequence);
        transact(
                messages,
                awaited,
                batchSequence,
                sequence -> changes.containsKey(sequence) ? operation + ": " + changes.get(sequence) : operation,
                reply -> {});
    }

    /**
     * Sends {@code messages}, then reads replies until every sequence in {@code awaited} is
     * answered; {@code complete}, when not -1, is a sequence whose answer alone ends the
     * exchange (a dump's NLMSG_DONE, a batch's own error). The first error, named by
     * {@code describe} from its sequence, is thrown after the replies are all read, so the
     * socket is left clean for the next request.
     */
    private void transact(
            MemorySegment messages,
            Set<Integer> awaited,
            int complete,
            IntFunction<String> describe,
            Consumer<MemorySegment> onData) {
        var pending = new HashSet<>(awaited);
        if (complete >= 0 && pending.size() > 1) {
            pending.remove(complete);
        }
        NetlinkException failure = null;
        try (var arena = Arena.ofConfined()) {
            send(arena, messages);
            boolean done = false;
            while (!done) {
                MemorySegment datagram = receive(arena);
                long offset = 0;
                while (offset + HEADER <= datagram.byteSize()) {
                    int length = datagram.get(INT, offset);
                    if (length < HEADER || offset + length > datagram.byteSize()) {
                        break;
                    }
                    MemorySegment reply = datagram.asSlice(offset, length);
                    offset += Netlink.align(length);
                    int type = Short.toUnsignedInt(reply.get(SHORT, TYPE));
                    int replySequence = reply.get(INT, SEQUENCE);
                    if (!awaited.contains(replySequence)) {
                        continue; // an answer to an earlier, abandoned exchange
                    }
                    if (type == Netlink.NLMSG_ERROR) {
                        int errno = -reply.get(INT, HEADER);
                        if (errno != 0 && failure == null) {
                            failure = new NetlinkException(
                                    describe.apply(replySequence), errno, extendedAckMessage(reply));
                        }
                        pending.remove(replySequence);
                        done = pending.isEmpty() || replySequence == complete;
                    } else if (type == Netlink.NLMSG_DONE) {
                        done = replySequence == complete;
                    } else {
                        onData.accept(reply);
                    }
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    /** sendmsg(2) of the whole buffer as one datagram to the kernel (port id 0, the default). */
    private void send(Arena arena, MemorySegment messages) {
        Syscall.call(
                "sendmsg",
                "netlink",
                SyscallNumbers.SENDMSG,
                fd.fd(),
                message(arena, messages).address(),
                0);
    }

    /**
     * recvmsg(2) of one datagram. It first peeks with MSG_TRUNC, which makes netlink report the
     * datagram's real size, so the buffer always fits: no fixed limit on a dump's messages.
     */
    private MemorySegment receive(Arena arena) {
        MemorySegment probe = arena.allocate(1);
        long size = Syscall.call(
                "recvmsg",
                "netlink",
                SyscallNumbers.RECVMSG,
                fd.fd(),
                message(arena, probe).address(),
                linux_h.MSG_PEEK() | Netlink.MSG_TRUNC);
        MemorySegment buffer = arena.allocate(Math.max(size, 1), 8);
        long received = Syscall.call(
                "recvmsg",
                "netlink",
                SyscallNumbers.RECVMSG,
                fd.fd(),
                message(arena, buffer).address(),
                0);
        return buffer.asSlice(0, received);
    }

    private static MemorySegment message(Arena arena, MemorySegment data) {
        MemorySegment iov = arena.allocate(iovec.layout());
        iovec.iov_base(iov, data);
        iovec.iov_len(iov, data.byteSize());
        MemorySegment message = arena.allocate(msghdr.layout());
        msghdr.msg_iov(message, iov);
        msghdr.msg_iovlen(message, 1);
        return message;
    }

    /**
     * The kernel's text in an NLMSG_ERROR: after {@code struct nlmsgerr} and the echoed request
     * (only its header when NLM_F_CAPPED), attributes follow when NLM_F_ACK_TLVS is set.
     */
    private static String extendedAckMessage(MemorySegment reply) {
        int flags = Short.toUnsignedInt(reply.get(SHORT, FLAGS));
        if ((flags & Netlink.NLM_F_ACK_TLVS) == 0) {
            return "";
        }
        long echoed =
                (flags & Netlink.NLM_F_CAPPED) != 0 ? HEADER : Netlink.align(reply.get(INT, HEADER + ERROR_REQUEST));
        long start = HEADER + ERROR_REQUEST + echoed;
        if (start >= reply.byteSize()) {
            return "";
        }
        List<NetlinkAttribute> attributes = NetlinkAttribute.parse(reply.asSlice(start));
        return NetlinkAttribute.find(attributes, Netlink.NLMSGERR_ATTR_MSG)
                .map(NetlinkAttribute::string)
                .orElse("");
    }

    private static int sequenceOf(MemorySegment messages) {
        return messages.get(INT, SEQUENCE);
    }

    @Override
    public void close() {
        fd.close();
    }
}
