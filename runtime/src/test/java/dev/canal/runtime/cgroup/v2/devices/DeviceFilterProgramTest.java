package dev.canal.runtime.cgroup.v2.devices;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.runtime.oci.Resources;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeviceFilterProgramTest {

    /** Every program starts by loading type into r2, access into r3, major into r4, minor into r5. */
    private static final String PROLOGUE = """
              0: r2 = *(u32 *)(r1 + 0)
              1: w2 &= 0xffff
              2: r3 = *(u32 *)(r1 + 0)
              3: w3 >>= 16
              4: r4 = *(u32 *)(r1 + 4)
              5: r5 = *(u32 *)(r1 + 8)
            """;

    private static Resources.DeviceRule rule(boolean allow, String type, Long major, Long minor, String access) {
        return new Resources.DeviceRule(allow, type, major, minor, access, Map.of());
    }

    @Test
    void denyAllThenAllowTwoDevices() {
        var program = DeviceFilterProgram.of(List.of(
                rule(false, "a", null, null, "rwm"), rule(true, "c", 1L, 3L, "rwm"), rule(true, "c", 1L, 5L, "rw")));
        assertEquals(PROLOGUE + """
                  6: if r2 != 2 goto +7
                  7: w1 = w3
                  8: w1 &= 0x6
                  9: if r1 != r3 goto +4
                 10: if r4 != 1 goto +3
                 11: if r5 != 5 goto +2
                 12: w0 = 1
                 13: exit
                 14: if r2 != 2 goto +4
                 15: if r4 != 1 goto +3
                 16: if r5 != 3 goto +2
                 17: w0 = 1
                 18: exit
                 19: w0 = 0
                 20: exit
                """, program.disassemble());
    }

    @Test
    void noRulesAllowsEverything() {
        assertEquals(PROLOGUE + """
                  6: w0 = 1
                  7: exit
                """, DeviceFilterProgram.of(List.of()).disassemble());
    }

    @Test
    void instructionsAreEncodedAsStructBpfInsn() {
        var program = DeviceFilterProgram.of(List.of(rule(false, "c", 1L, 3L, "rwm")));
        byte[] bytes = program.bytes();
        assertEquals(program.length() * 8, bytes.length);
        // "r2 = *(u32 *)(r1 + 4)"-style load: opcode 0x61, dst r2 in the low nibble, src r1 in the high one.
        assertArrayEquals(new byte[] {0x61, 0x12, 0, 0, 0, 0, 0, 0}, Arrays.copyOfRange(bytes, 0, 8));
        // "if r2 != 2 goto +4" (past the major and minor checks and the verdict): 0x55, dst r2,
        // offset 4, immediate 2, little-endian.
        assertArrayEquals(new byte[] {0x55, 0x02, 4, 0, 2, 0, 0, 0}, Arrays.copyOfRange(bytes, 48, 56));
    }
}
