package dev.canal.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The classic builder's ARG scoping (moby builder/dockerfile/buildargs.go and its dispatchers). */
class BuildArgsTest {

    private static final ShellLexer LEXER = new ShellLexer('\\');

    private final Dockerfile dockerfile = Dockerfile.parse("""
            ARG VERSION=1.0
            ARG IMAGE=busybox:${VERSION}
            ARG NO_DEFAULT
            FROM $IMAGE AS first
            ARG VERSION
            ARG LOCAL=local-$VERSION
            ARG EMPTY=
            FROM busybox
            ARG NO_DEFAULT
            """);

    @Test
    void metaArgsAreVisibleToFromOnly() {
        BuildArgs meta = metaArgs(Map.of());
        assertEquals(Map.of("VERSION", "1.0", "IMAGE", "busybox:1.0"), meta.metaValues());
        assertEquals(
                "busybox:1.0",
                dockerfile
                        .stages()
                        .getFirst()
                        .from()
                        .expand(LEXER, meta.metaValues())
                        .image());
        BuildArgs second = meta.forStage();
        assertEquals(Map.of(), second.values());
    }

    @Test
    void aStageInheritsAMetaArgItDeclaresAgainAndSeesItsOwnArgs() {
        BuildArgs stage =
                declareAll(metaArgs(Map.of()).forStage(), dockerfile.stages().getFirst());
        assertEquals(Map.of("VERSION", "1.0", "LOCAL", "local-1.0", "EMPTY", ""), stage.values());
    }

    @Test
    void buildArgsOverrideDefaultsAndMetaValues() {
        Map<String, String> options = new HashMap<>();
        options.put("VERSION", "2.0");
        options.put("NO_DEFAULT", "given");
        options.put("HTTP_PROXY", "http://proxy:3128");
        options.put("UNSET", null);
        BuildArgs meta = metaArgs(options);
        assertEquals("busybox:2.0", meta.metaValues().get("IMAGE"));
        BuildArgs first = declareAll(meta.forStage(), dockerfile.stages().getFirst());
        assertEquals("2.0", first.values().get("VERSION"));
        assertEquals("local-2.0", first.values().get("LOCAL"));
        // A predefined proxy argument needs no ARG line; a build arg without a value is not given.
        assertEquals("http://proxy:3128", first.values().get("HTTP_PROXY"));
        assertTrue(first.isUndeclaredPredefined("HTTP_PROXY"));
        assertFalse(first.values().containsKey("UNSET"));
        BuildArgs second = declareAll(meta.forStage(), dockerfile.stages().get(1));
        assertEquals("given", second.values().get("NO_DEFAULT"));
        assertFalse(second.values().containsKey("VERSION"));
    }

    @Test
    void theEnvironmentWinsOverAnArgOfTheSameName() {
        BuildArgs stage =
                declareAll(metaArgs(Map.of()).forStage(), dockerfile.stages().getFirst());
        Map<String, String> variables = stage.variables(List.of("PATH=/bin", "VERSION=from-env"));
        assertEquals("from-env", variables.get("VERSION"));
        assertEquals("/bin", variables.get("PATH"));
        assertEquals("local-1.0", variables.get("LOCAL"));
        Instruction.Workdir workdir = (Instruction.Workdir) Dockerfile.parse("FROM x\nWORKDIR /opt/$VERSION/${LOCAL}\n")
                .stages()
                .getFirst()
                .instructions()
                .getFirst();
        assertEquals("/opt/from-env/local-1.0", workdir.expand(LEXER, variables).path());
    }

    @Test
    void buildArgsNoArgDeclaredAreReportedAsDockerReportsThem() {
        Map<String, String> options = new HashMap<>();
        options.put("VERSION", "2.0");
        options.put("typo", "x");
        options.put("ANOTHER", "y");
        options.put("https_proxy", "http://proxy:3128");
        BuildArgs meta = metaArgs(options);
        declareAll(meta.forStage(), dockerfile.stages().getFirst());
        assertEquals(
                Optional.of("[Warning] One or more build-args [ANOTHER typo] were not consumed"),
                meta.unconsumedWarning());
        assertEquals(Optional.empty(), metaArgs(Map.of("NO_DEFAULT", "used")).unconsumedWarning());
    }

    private BuildArgs metaArgs(Map<String, String> options) {
        BuildArgs meta = new BuildArgs(options);
        dockerfile.metaArgs().forEach(arg -> meta.addMetaArg(arg, LEXER));
        return meta;
    }

    private static BuildArgs declareAll(BuildArgs scope, Stage stage) {
        for (Instruction instruction : stage.instructions()) {
            if (instruction instanceof Instruction.Arg arg) {
                scope.declare(arg.expand(LEXER, scope.variables(List.of())));
            }
        }
        return scope;
    }
}
