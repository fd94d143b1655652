package dev.canal.runtime.net;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Builds netlink messages in native memory, ready for sendmsg(2): one message, or several back
 * to back (an nf_tables batch).
 *
 * <p>The layout is netlink(7)'s: each message is a {@code struct nlmsghdr}, a family header
 * ({@code ifinfomsg}, {@code nfgenmsg}...) and attributes, each attribute a
 * {@code struct nlattr} (length, type) and its value, padded to 4 bytes; a nested attribute's
 * value is more attributes. Lengths are filled in when a message or nest ends. Numbers are in
 * host byte order unless a method says big-endian (nf_tables wants network order).
 *
 * <p>The buffer grows by doubling, so no message is too big to build.
 */
public final class NetlinkWriter {

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfInt BIG_ENDIAN_INT = INT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort BIG_ENDIAN_SHORT = SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final long LENGTH = Netlink.NLMSGHDR.byteOffset(groupElement("nlmsg_len"));
    private static final long TYPE = Netlink.NLMSGHDR.byteOffset(groupElement("nlmsg_type"));
    private static final long FLAGS = Netlink.NLMSGHDR.byteOffset(groupElement("nlmsg_flags"));
    private static final long SEQUENCE = Netlink.NLMSGHDR.byteOffset(groupElement("nlmsg_seq"));
    private static final int ATTRIBUTE_HEADER = (int) Netlink.NLATTR.byteSize();

    private final Arena arena;
    private MemorySegment buffer;
    private int position;
    private int messageStart = -1;

    /** A writer whose memory lives as long as {@code arena}. */
    public NetlinkWriter(Arena arena) {
        this.arena = arena;
        this.buffer = arena.allocate(1024, 8);
    }

    /**
     * Starts a message: its {@code nlmsghdr} with the length left for {@link #end()}. The
     * kernel's replies carry {@code sequence}, which is how they are matched to requests.
     */
    public NetlinkWriter begin(int type, int flags, int sequence) {
        if (messageStart >= 0) {
            throw new IllegalStateException("a netlink message is already open");
        }
        messageStart = position;
        MemorySegment header = reserve((int) Netlink.NLMSGHDR.byteSize());
        header.set(SHORT, TYPE, (short) type);
        header.set(SHORT, FLAGS, (short) flags);
        header.set(INT, SEQUENCE, sequence);
        return this;
    }

    /**
     * Reserves the family header that follows {@code nlmsghdr}, zeroed, and returns it for the
     * caller to fill in through the layout's fields.
     */
    public MemorySegment header(StructLayout layout) {
        return reserve((int) layout.byteSize());
    }

    /** Ends the open message: writes its {@code nlmsg_len}. */
    public NetlinkWriter end() {
        if (messageStart < 0) {
            throw new IllegalStateException("no netlink message is open");
        }
        buffer.set(INT, messageStart + LENGTH, position - messageStart);
        messageStart = -1;
        return this;
    }

    /** An attribute whose value is {@code value}'s bytes. */
    public NetlinkWriter bytes(int type, byte[] value) {
        MemorySegment attribute = reserve(ATTRIBUTE_HEADER + value.length);
        attribute.set(SHORT, 0, (short) (ATTRIBUTE_HEADER + value.length));
        attribute.set(SHORT, 2, (short) type);
        MemorySegment.copy(value, 0, attribute, ValueLayout.JAVA_BYTE, ATTRIBUTE_HEADER, value.length);
        return this;
    }

    /** A NUL-terminated string attribute ({@code NLA_NUL_STRING}, {@code NLA_STRING}). */
    public NetlinkWriter string(int type, String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("netlink string contains a NUL byte: " + value.replace("\0", "\\0"));
        }
        byte[] utf8 = value.getBytes(StandardCharsets.UTF_8);
        byte[] terminated = new byte[utf8.length + 1];
        System.arraycopy(utf8, 0, terminated, 0, utf8.length);
        return bytes(type, terminated);
    }

    /** A 32-bit attribute in host byte order (rtnetlink's {@code NLA_U32}). */
    public NetlinkWriter u32(int type, int value) {
        byte[] bytes = new byte[Integer.BYTES];
        MemorySegment.ofArray(bytes).set(INT, 0, value);
        return bytes(type, bytes);
    }

    /** A 32-bit attribute in network byte order (nf_tables' {@code NLA_BE32}). */
    public NetlinkWriter be32(int type, int value) {
        byte[] bytes = new byte[Integer.BYTES];
        MemorySegment.ofArray(bytes).set(BIG_ENDIAN_INT, 0, value);
        return bytes(type, bytes);
    }

    /** A 16-bit value in network byte order, as nf_tables compares ports. */
    public static byte[] be16(int value) {
        byte[] bytes = new byte[Short.BYTES];
        MemorySegment.ofArray(bytes).set(BIG_ENDIAN_SHORT, 0, (short) value);
        return bytes;
    }

    /** Starts a nested attribute; {@link #endNested} closes it. Returns where it starts. */
    public int beginNested(int type) {
        int start = position;
        MemorySegment attribute = reserve(ATTRIBUTE_HEADER);
        attribute.set(SHORT, 2, (short) (type | Netlink.NLA_F_NESTED));
        return start;
    }

    /** Ends the nested attribute that started at {@code start}: writes its length. */
    public NetlinkWriter endNested(int start) {
        buffer.set(SHORT, start, (short) (position - start));
        return this;
    }

    /** Everything written so far, ready to send. */
    public MemorySegment contents() {
        if (messageStart >= 0) {
            throw new IllegalStateException("a netlink message is still open");
        }
        return buffer.asSlice(0, position);
    }

    /**
     * Takes {@code length} bytes at the current position, zeroed, and moves past them and their
     * padding: attributes and headers both start on 4-byte boundaries (NLMSG_ALIGN, NLA_ALIGN).
     */
    private MemorySegment reserve(int length) {
        int next = position + Netlink.align(length);
        if (next > buffer.byteSize()) {
            long size = buffer.byteSize();
            while (size < next) {
                size *= 2;
            }
            MemorySegment larger = arena.allocate(size, 8);
            MemorySegment.copy(buffer, 0, larger, 0, position);
            buffer = larger;
        }
        MemorySegment reserved = buffer.asSlice(position, next - position).fill((byte) 0);
        position = next;
        return reserved.asSlice(0, length);
    }
}
