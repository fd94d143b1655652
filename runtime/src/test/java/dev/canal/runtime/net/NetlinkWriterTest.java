package dev.canal.runtime.net;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The wire format: headers, padding, nesting, byte order, and reading it back. */
class NetlinkWriterTest {

    @Test
    void aMessageIsItsHeaderThenPaddedAttributesWithNestsSized() {
        try (var arena = Arena.ofConfined()) {
            var message = new NetlinkWriter(arena).begin(16, 0x405, 7);
            message.string(3, "eth0"); // 4 + 5 bytes, padded to 12
            int nest = message.beginNested(18);
            message.be32(1, 0x01020304);
            message.endNested(nest);
            byte[] bytes = message.end().contents().toArray(ValueLayout.JAVA_BYTE);

            assertEquals(
                    "28000000" + "1000" + "0504" + "07000000" + "00000000" // nlmsghdr: 40 bytes, type 16, flags, seq 7
                            + "0900" + "0300" + "6574683000" + "000000" // "eth0\0" and 3 bytes of padding
                            + "0c00" + "1280" + "0800" + "0100" + "01020304", // nested (NLA_F_NESTED), big-endian value
                    HexFormat.of().formatHex(bytes));

            var attributes = NetlinkAttribute.parse(message.contents().asSlice(16));
            assertEquals(2, attributes.size());
            assertEquals("eth0", attributes.get(0).string());
            assertEquals(18, attributes.get(1).type(), "the nested flag is masked off");
            assertArrayEquals(
                    new byte[] {1, 2, 3, 4},
                    attributes.get(1).nested().getFirst().bytes());
        }
    }

    @Test
    void theBufferGrowsForAnyMessageAndAnOpenMessageCannotBeSent() {
        try (var arena = Arena.ofConfined()) {
            var message = new NetlinkWriter(arena).begin(16, 0, 1);
            message.bytes(1, new byte[100_000]);
            assertThrows(IllegalStateException.class, message::contents);
            assertEquals(16 + 4 + 100_000, message.end().contents().byteSize());
            assertThrows(IllegalArgumentException.class, () -> message.string(1, "a\0b"));
        }
    }
}
