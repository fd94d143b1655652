package dev.canal.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.canal.bindings.linux.linux_h;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ProcessesTest {

    @Test
    void effectiveUidIsGeteuids() throws Exception {
        assertEquals(linux_h.geteuid(), Processes.effectiveUid());
        // proc(5): "Uid:" lists the real, effective, saved and filesystem uids.
        String uids = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("Uid:"))
                .findFirst()
                .orElseThrow();
        assertEquals(Integer.parseInt(uids.split("\\s+")[2]), Processes.effectiveUid());
    }
}
