package dev.canal.runtime.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class DefaultSpecTest {

    @Test
    void writesWhatRuncSpecWritesByteForByteApartFromTheSeccompProfile() {
        // runc-spec.json is runc spec's output (tabs, "key": value) with the hostname changed.
        ObjectNode spec =
                (ObjectNode) SpecJson.MAPPER.readTree(DefaultSpec.create(true).toJson());
        spec.withObjectProperty("linux").remove("seccomp");
        assertEquals(
                Fixtures.text("runc-spec.json"), Spec.parse(spec.toString()).toJson());
    }

    @Test
    void theTreeIsWhatTheRecordsWrite() {
        for (boolean terminal : new boolean[] {false, true}) {
            assertEquals(
                    SpecJson.MAPPER.readTree(DefaultSpec.create(terminal).toJson()),
                    DefaultSpec.tree(terminal),
                    "terminal " + terminal);
        }
    }

    @Test
    void carriesCanalsDefaultSeccompProfile() {
        Seccomp seccomp = DefaultSpec.create(false).linux().seccomp();
        assertEquals(DefaultSeccompProfile.create(), seccomp);
        assertEquals("SCMP_ACT_ERRNO", seccomp.defaultAction());
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), seccomp.architectures());
    }

    @Test
    void writesWhatRuncSpecRootlessWritesForTheCallingUser() {
        assertEquals(
                Fixtures.text("runc-spec-rootless.json"),
                DefaultSpec.rootless(true, 1000, 1000).toJson());
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
        assertEquals(
                List.of("pid", "ipc", "uts", "mount", "cgroup", "user"),
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
