package dev.canal.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.images.manifest.ImageConfig.RunConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The metadata instructions as changes to an image config, as the classic builder's dispatchers
 * make them, and {@code docker commit --change} through the same rules.
 */
class ImageSettingsTest {

    private static final RunConfig BASE = new RunConfig(
            null,
            null,
            List.of("PATH=/bin", "MODE=base"),
            null,
            List.of("sh"),
            null,
            null,
            null,
            null,
            null,
            List.of("RUN echo trigger"),
            null);

    private static RunConfig apply(RunConfig from, String instructions) {
        Dockerfile dockerfile = Dockerfile.parse("FROM scratch\n" + instructions);
        var settings = new ImageSettings(from);
        var args = new BuildArgs(Map.of());
        for (Instruction instruction : dockerfile.stages().getFirst().instructions()) {
            settings.apply(instruction.expand(dockerfile.lexer(), args.variables(settings.env())));
        }
        return settings.toRunConfig();
    }

    @Test
    void eachInstructionSetsItsFieldAndAChildDoesNotInheritTriggers() {
        RunConfig run = apply(BASE, """
                ENV MODE=child EXTRA=$MODE
                WORKDIR app
                WORKDIR sub
                USER 1000:1000
                EXPOSE 80 53/udp
                LABEL a=b
                VOLUME /data
                STOPSIGNAL SIGINT
                HEALTHCHECK --interval=5s --retries=2 CMD ["true"]
                SHELL ["/bin/bash", "-c"]
                CMD echo hi
                """);
        assertEquals(List.of("PATH=/bin", "MODE=child", "EXTRA=base"), run.env());
        assertEquals("/app/sub", run.workingDir());
        assertEquals("1000:1000", run.user());
        assertEquals(Map.of("80/tcp", Map.of(), "53/udp", Map.of()), run.exposedPorts());
        assertEquals(Map.of("a", "b"), run.labels());
        assertEquals(Map.of("/data", Map.of()), run.volumes());
        assertEquals("SIGINT", run.stopSignal());
        assertEquals(List.of("CMD", "true"), run.healthcheck().test());
        assertEquals(5_000_000_000L, run.healthcheck().interval());
        assertEquals(2, run.healthcheck().retries());
        assertEquals(List.of("/bin/bash", "-c", "echo hi"), run.cmd());
        assertNull(run.onBuild());
    }

    @Test
    void anEntrypointClearsAnInheritedCmdButNotOneOfTheSameStage() {
        assertNull(apply(BASE, "ENTRYPOINT [\"top\"]\n").cmd());
        RunConfig both = apply(BASE, "CMD [\"-b\"]\nENTRYPOINT [\"top\"]\n");
        assertEquals(List.of("top"), both.entrypoint());
        assertEquals(List.of("-b"), both.cmd());
    }

    @Test
    void commitChangesApplyAllowedInstructionsAndRefuseOthers() {
        RunConfig changed = CommitChanges.parse(List.of("CMD [\"cat\", \"/x\"]", "ENV MODE=$MODE-changed"))
                .apply(BASE);
        assertEquals(List.of("cat", "/x"), changed.cmd());
        assertTrue(changed.env().contains("MODE=base-changed"), changed.env().toString());
        var refused = assertThrows(IllegalArgumentException.class, () -> CommitChanges.parse(List.of("RUN true")));
        assertEquals("RUN true: RUN is not a valid change command", refused.getMessage());
    }

    /** moby's validCommitCommands hold HEALTHCHECK too; import applies the same changes to an empty config. */
    @Test
    void importAndCommitTakeEveryChangeMobyTakes() {
        RunConfig imported = CommitChanges.forImport(List.of(
                "EXPOSE 80/tcp",
                "EXPOSE 53/udp 8080",
                "HEALTHCHECK --interval=5s CMD true",
                "ENV A=1",
                "LABEL k=v",
                "ONBUILD RUN true",
                "STOPSIGNAL SIGINT",
                "USER 1:1",
                "VOLUME /data",
                "WORKDIR /w",
                "CMD [\"sh\"]",
                "ENTRYPOINT [\"/bin/sh\", \"-c\"]"));
        assertEquals(
                Set.of("80/tcp", "53/udp", "8080/tcp"), imported.exposedPorts().keySet());
        assertEquals(List.of("CMD-SHELL", "true"), imported.healthcheck().test());
        assertEquals(5_000_000_000L, imported.healthcheck().interval());
        assertEquals(List.of("A=1"), imported.env());
        assertEquals(Map.of("k", "v"), imported.labels());
        assertEquals(List.of("RUN true"), imported.onBuild());
        assertEquals("SIGINT", imported.stopSignal());
        assertEquals("1:1", imported.user());
        assertEquals(Set.of("/data"), imported.volumes().keySet());
        assertEquals("/w", imported.workingDir());
        assertEquals(List.of("sh"), imported.cmd());
        assertEquals(List.of("/bin/sh", "-c"), imported.entrypoint());
        assertNull(CommitChanges.forImport(List.of()));
        assertEquals(
                List.of("CMD-SHELL", "true"),
                CommitChanges.parse(List.of("HEALTHCHECK CMD true"))
                        .apply(BASE)
                        .healthcheck()
                        .test());
    }
}
