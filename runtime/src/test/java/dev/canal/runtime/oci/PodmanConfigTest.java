package dev.canal.runtime.oci;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.seccomp.SeccompCompiler;
import dev.canal.runtime.seccomp.SeccompProgram;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A config like the ones podman writes for {@code podman run}: annotations, hooks, seccomp, cgroup limits. */
class PodmanConfigTest {

    private final Spec spec = Spec.read(Fixtures.path("podman-config.json"));

    @Test
    void isValid() {
        assertEquals(List.of(), SpecValidator.validate(spec));
    }

    @Test
    void readsEverySection() {
        assertEquals("libpod", spec.annotations().get("io.container.manager"));
        assertEquals(
                List.of(0L, 1L, 2L, 3L, 4L, 6L, 10L, 11L, 20L, 26L, 27L),
                spec.process().user().additionalGids());
        assertEquals(18L, spec.process().user().umask());
        assertEquals(-1L, spec.process().rlimits().get(2).hard(), "RLIMIT_MEMLOCK unlimited");
        assertEquals(10, spec.hooks().createRuntime().getFirst().timeout());
        assertEquals(
                "/run/netns/netns-8c3a0d52-1f6e-4b1a-93de-2c5e7d1f0a42",
                spec.linux().namespaces().get(1).path());

        Resources resources = spec.linux().resources();
        assertEquals(536870912L, resources.memory().limit());
        assertEquals(150000L, resources.cpu().quota());
        assertEquals(2048, resources.pids().limit());
        assertEquals(
                10485760L,
                resources.blockIO().throttleReadBpsDevice().getFirst().rate());
        assertEquals("480M", resources.unified().get("memory.high"));

        Seccomp seccomp = spec.linux().seccomp();
        assertEquals(38L, seccomp.defaultErrnoRet());
        assertEquals(
                "SCMP_CMP_MASKED_EQ",
                seccomp.syscalls().get(4).args().getFirst().op());
        assertEquals(4294967295L, seccomp.syscalls().get(3).args().getFirst().value());
        assertEquals(438L, spec.linux().devices().getFirst().fileMode());
    }

    @Test
    void itsSeccompProfileCompiles() {
        // It names pciconfig_iobase, a call of arm and powerpc that x86 lacks: skipped, as runc does.
        SeccompProgram program =
                assertDoesNotThrow(() -> SeccompCompiler.compile(spec.linux().seccomp()));
        assertTrue(program.disassemble().contains("ret ERRNO(38)"), "the default, ENOSYS as podman sets it");
    }

    @Test
    void writesBackTheSameDocument() {
        var mapper = SpecJson.MAPPER;
        assertEquals(mapper.readTree(Fixtures.text("podman-config.json")), mapper.readTree(spec.toJson()));
    }
}
