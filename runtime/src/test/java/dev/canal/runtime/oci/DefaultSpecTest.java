package dev.canal.runtime.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultSpecTest {

    @Test
    void writesWhatRuncSpecWritesByteForByte() {
        // runc-spec.json is runc spec's output (tabs, "key": value) with the hostname changed.
        assertEquals(Fixtures.text("runc-spec.json"), DefaultSpec.create(true).toJson());
    }

    @Test
    void writesWhatRuncSpecRootlessWritesForTheCallingUser() {
        assertEquals(Fixtures.text("runc-spec-rootless.json"), DefaultSpec.rootless(true, 1000, 1000).toJson());
    }

    @Test
    void theTerminalIsAChoice() {
        assertFalse(DefaultSpec.create(false).process().terminal());
        assertTrue(DefaultSpec.rootless(true, 1000, 1000).process().terminal());
    }

    @Test
    void bothAreValid() {
        assertEquals(List.of(), SpecValidator.validate(DefaultSpec.create(true)));
        assertEquals(List.of(), SpecValidator.validate(DefaultSpec.rootless(false, 1000, 1000)));
    }

    @Test
    void aRootlessSpecMapsOnlyTheCallersOwnIdsAndKeepsTheHostNetwork() {
        Linux linux = DefaultSpec.rootless(false, 1234, 5678).linux();
        assertEquals(1234, linux.uidMappings().getFirst().hostID());
        assertEquals(5678, linux.gidMappings().getFirst().hostID());
        assertEquals(List.of("pid", "ipc", "uts", "mount", "cgroup", "user"),
                linux.namespaces().stream().map(Linux.Namespace::type).toList());
        assertEquals(null, linux.resources());
    }

    @Test
    void roundTripsThroughItsOwnJson() {
        Spec spec = DefaultSpec.create(true);
        Spec again = Spec.parse(spec.toJson());
        assertEquals(spec, again);
        assertEquals(spec.toJson(), again.toJson());
    }
}
