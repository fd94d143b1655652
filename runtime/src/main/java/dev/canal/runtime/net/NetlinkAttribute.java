package dev.canal.runtime.net;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One attribute of a netlink message the kernel sent: its type (flags masked off) and value.
 * {@link #parse} walks a run of them; a nested attribute's value parses the same way.
 */
public record NetlinkAttribute(int type, MemorySegment value) {

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final int HEADER = (int) Netlink.NLATTR.byteSize();

    /** The attributes in {@code region}, in order. A truncated attribute ends the walk. */
    public static List<NetlinkAttribute> parse(MemorySegment region) {
        var attributes = new ArrayList<NetlinkAttribute>();
        long offset = 0;
        while (offset + HEADER <= region.byteSize()) {
            int length = Short.toUnsignedInt(region.get(SHORT, offset));
            int type = Short.toUnsignedInt(region.get(SHORT, offset + 2)) & Netlink.NLA_TYPE_MASK;
            if (length < HEADER || offset + length > region.byteSize()) {
                break;
            }
            attributes.add(new NetlinkAttribute(type, region.asSlice(offset + HEADER, length - HEADER)));
            offset += Netlink.align(length);
        }
        return attributes;
    }

    /** The first attribute of {@code type} in {@code attributes}. */
    public static Optional<NetlinkAttribute> find(List<NetlinkAttribute> attributes, int type) {
        return attributes.stream().filter(a -> a.type == type).findFirst();
    }

    /** The attributes nested in this one. */
    public List<NetlinkAttribute> nested() {
        return parse(value);
    }

    /** A NUL-terminated string value. */
    public String string() {
        byte[] bytes = bytes();
        int end = 0;
        while (end < bytes.length && bytes[end] != 0) {
            end++;
        }
        return new String(bytes, 0, end, StandardCharsets.UTF_8);
    }

    /** A 32-bit value in host byte order. */
    public int u32() {
        return value.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
    }

    /** A 64-bit value in network byte order (nf_tables handles). */
    public long be64() {
        return value.get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN), 0);
    }

    /** The raw value. */
    public byte[] bytes() {
        return value.toArray(ValueLayout.JAVA_BYTE);
    }
}
