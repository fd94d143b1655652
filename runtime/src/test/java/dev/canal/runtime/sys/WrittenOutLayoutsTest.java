package dev.canal.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.ifreq;
import dev.canal.bindings.linux.open_how;
import dev.canal.bindings.linux.posix_spawn_file_actions_t;
import dev.canal.bindings.linux.posix_spawnattr_t;
import dev.canal.bindings.linux.sigset_t;
import dev.canal.bindings.linux.stat;
import java.lang.foreign.GroupLayout;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The struct sizes and offsets the sys classes write out instead of initialising jextract's
 * struct classes (whose VarHandles for array fields are method handle classes spun in every JVM)
 * must be what jextract read from the C headers, which BindingsMatchCompilerTest checks against
 * the compiler.
 */
class WrittenOutLayoutsTest {

    @Test
    void posixSpawnStructsHaveJextractsSizes() {
        assertEquals(posix_spawn_file_actions_t.layout().byteSize(), PosixSpawn.FILE_ACTIONS_SIZE);
        assertEquals(posix_spawnattr_t.layout().byteSize(), PosixSpawn.ATTRIBUTES_SIZE);
        assertEquals(sigset_t.layout().byteSize(), PosixSpawn.SIGSET_SIZE);
        for (GroupLayout layout :
                List.of(posix_spawn_file_actions_t.layout(), posix_spawnattr_t.layout(), sigset_t.layout())) {
            assertTrue(PosixSpawn.STRUCT_ALIGNMENT % layout.byteAlignment() == 0, layout.toString());
        }
    }

    @Test
    void ifreqHasJextractsSize() {
        assertEquals(ifreq.layout().byteSize(), NetworkInterfaces.IFREQ_SIZE);
        assertTrue(Long.BYTES % ifreq.layout().byteAlignment() == 0);
    }

    @Test
    void statHasJextractsSizeAndOffsets() {
        assertEquals(stat.layout().byteSize(), FileStatus.STAT_SIZE);
        assertEquals(stat.st_mode$offset(), FileStatus.ST_MODE_OFFSET);
        assertEquals(stat.st_rdev$offset(), FileStatus.ST_RDEV_OFFSET);
        assertTrue(Long.BYTES % stat.layout().byteAlignment() == 0);
    }

    @Test
    void openHowIsThreeLongsInPathAtsOrder() {
        assertEquals(open_how.layout().byteSize(), (long) PathAt.OPEN_HOW_FIELDS * Long.BYTES);
        assertEquals(0, open_how.flags$offset());
        assertEquals(Long.BYTES, open_how.mode$offset());
        assertEquals(2 * Long.BYTES, open_how.resolve$offset());
        assertTrue(Long.BYTES % open_how.layout().byteAlignment() == 0);
    }
}
