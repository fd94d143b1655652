package dev.canal.engine.build;

import dev.canal.images.manifest.ImageConfig.RunConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code docker commit --change} and {@code docker import --change}: Dockerfile instructions
 * that set the new image's config, the ones moby accepts (validCommitCommands in
 * builder/dockerfile/builder.go: CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK, LABEL, ONBUILD,
 * STOPSIGNAL, USER, VOLUME, WORKDIR; dockerd 20.10 refused STOPSIGNAL still), applied as a build
 * applies them ({@link ImageSettings}). They are parsed when given, so a bad one fails the
 * commit or import before anything is written.
 */
public final class CommitChanges {

    /** A commit has no build arguments: words expand from the environment only. */
    private static final BuildArgs NO_ARGUMENTS = new BuildArgs(Map.of());

    private CommitChanges() {}

    /**
     * The changes as a function of the container's config.
     *
     * @throws IllegalArgumentException for a change that does not parse or is not allowed
     */
    public static UnaryOperator<RunConfig> parse(List<String> changes) {
        var instructions = new ArrayList<Instruction>();
        ShellLexer lexer = null;
        for (String change : changes) {
            // A change is one Dockerfile line; the parser wants it in a stage.
            Dockerfile dockerfile = Dockerfile.parse("FROM scratch\n" + change);
            lexer = dockerfile.lexer();
            for (Instruction instruction : dockerfile.stages().getFirst().instructions()) {
                if (!allowed(instruction)) {
                    throw new IllegalArgumentException(
                            change + ": " + instruction.source().split("\\s+")[0] + " is not a valid change command");
                }
                instructions.add(instruction);
            }
        }
        if (instructions.isEmpty()) {
            return UnaryOperator.identity();
        }
        ShellLexer words = lexer;
        return run -> {
            var settings = new ImageSettings(run);
            for (Instruction instruction : instructions) {
                settings.apply(instruction.expand(words, NO_ARGUMENTS.variables(settings.env())));
            }
            return settings.toRunConfig();
        };
    }

    /**
     * An imported image's config: {@code changes} applied to an empty one, or null without
     * changes (the image then sets nothing to run).
     *
     * @throws IllegalArgumentException for a change that does not parse or is not allowed
     */
    public static RunConfig forImport(List<String> changes) {
        return changes.isEmpty() ? null : parse(changes).apply(RunConfig.EMPTY);
    }

    private static boolean allowed(Instruction instruction) {
        return switch (instruction) {
            case Instruction.Cmd cmd -> true;
            case Instruction.Entrypoint entrypoint -> true;
            case Instruction.Env env -> true;
            case Instruction.Expose expose -> true;
            case Instruction.Healthcheck healthcheck -> true;
            case Instruction.Label label -> true;
            case Instruction.Onbuild onbuild -> true;
            case Instruction.StopSignal signal -> true;
            case Instruction.User user -> true;
            case Instruction.Volume volume -> true;
            case Instruction.Workdir workdir -> true;
            default -> false;
        };
    }
}
