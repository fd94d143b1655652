package dev.canal.runtime.cgroup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.canal.runtime.oci.Resources;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which zeros of linux.resources mean "not set", as runc reads them, and which keep their meaning. */
class ZerosAsUnsetTest {

    @Test
    void limitsAndWeightsOfZeroBecomeUnset() {
        var memory = new Resources.Memory(0L, 0L, 0L, 0L, 0L, null, false, null, null, null);
        var cpu = new Resources.Cpu(0L, 0L, null, 0L, 0L, 0L, null, null, null, null);
        var io = new Resources.BlockIo(
                0, 0, List.of(new Resources.WeightDevice(8, 0, 0, 0, null)), null, null, null, null, null);
        Resources cleared = ZerosAsUnset.clear(TestCgroups.resources(memory, cpu, null, io, null));

        assertEquals(
                new Resources.Memory(null, null, null, null, null, null, false, null, null, null), cleared.memory());
        assertEquals(new Resources.Cpu(null, null, null, null, null, null, null, null, null, null), cleared.cpu());
        assertNull(cleared.blockIO().weight());
        assertNull(cleared.blockIO().leafWeight());
        assertEquals(
                new Resources.WeightDevice(8, 0, null, null, null),
                cleared.blockIO().weightDevice().getFirst());
    }

    @Test
    void zerosThatMeanSomethingStay() {
        var memory = new Resources.Memory(64L << 20, null, null, null, null, 0L, null, null, null, null);
        var cpu = new Resources.Cpu(512L, 50_000L, 0L, 100_000L, null, null, "0", null, 0L, null);
        Resources resources = TestCgroups.resources(memory, cpu, new Resources.Pids(0, null), null, null);
        assertEquals(resources, ZerosAsUnset.clear(resources));
        assertNull(ZerosAsUnset.clear(null));
    }
}
