package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** docker update's merge: what is given replaces, what is not stays; conflicts with what was set are refused. */
class ResourceUpdateTest {

    private static final Resources CREATED = new Resources(
            new Resources.Cpu(512, 0, 50_000, 25_000, "0", ""),
            new Resources.Memory(64L << 20, 128L << 20, 0, true),
            20L,
            new Resources.BlockIo(300, null, null, null, null, null),
            List.of(new Resources.Ulimit("nofile", 100, 200)),
            Resources.DEFAULT_SHM_SIZE);

    @Test
    void givenFieldsReplaceAndTheRestStays() {
        var update = new Resources(
                new Resources.Cpu(1024, 0, 0, 0, "", ""),
                new Resources.Memory(96L << 20, 0, 0, false),
                null,
                null,
                null,
                0);
        Resources merged = ResourceUpdate.merge(CREATED, update);
        assertEquals(new Resources.Cpu(1024, 0, 50_000, 25_000, "0", ""), merged.cpu());
        assertEquals(new Resources.Memory(96L << 20, 128L << 20, 0, true), merged.memory());
        assertEquals(20L, merged.pidsLimit(), "no --pids-limit: unchanged");
        assertEquals(CREATED.blockIo(), merged.blockIo());
        assertEquals(CREATED.ulimits(), merged.ulimits());
        assertEquals(Resources.DEFAULT_SHM_SIZE, merged.shmSize());
    }

    @Test
    void liftingThePidsLimitWritesMaxIntoTheCgroup() {
        var update = new Resources(null, null, -1L, null, null, 0);
        Resources merged = ResourceUpdate.merge(CREATED, update);
        assertEquals(-1L, merged.pidsLimit());
        assertEquals(
                -1L,
                ResourceUpdate.cgroupUpdate(merged, update, true)
                        .path("pids")
                        .path("limit")
                        .asLong());
        assertEquals(
                "{\"limit\":67108864,\"swap\":134217728,\"disableOOMKiller\":true}",
                ResourceUpdate.cgroupUpdate(merged, update, true).path("memory").toString());
    }

    @Test
    void conflictsWithWhatWasSetAreRefused() {
        var cpus = new Resources(new Resources.Cpu(0, 500_000_000, 0, 0, "", ""), null, null, null, null, 0);
        assertEquals(
                "--cpus: Conflicting options: Nano CPUs cannot be updated as CPU Period or Quota has already been set",
                assertThrows(IllegalArgumentException.class, () -> ResourceUpdate.merge(CREATED, cpus))
                        .getMessage());
        var aboveSwap = new Resources(null, new Resources.Memory(256L << 20, 0, 0, false), null, null, null, 0);
        assertEquals(
                "-m 268435456: Memory limit should be smaller than already set memoryswap limit, update the memoryswap at the same time",
                assertThrows(IllegalArgumentException.class, () -> ResourceUpdate.merge(CREATED, aboveSwap))
                        .getMessage());
    }
}
