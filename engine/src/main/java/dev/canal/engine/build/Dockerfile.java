package dev.canal.engine.build;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A parsed Dockerfile: the ARGs before the first FROM (the meta ARGs, usable in FROM lines), the
 * stages, the escape character and docker's warnings (empty continuation lines).
 *
 * @param escape the escape character, \ or {@code `} ({@code # escape=`})
 * @param syntax the {@code # syntax=} directive, or null; the classic builder ignores it
 * @param metaArgs the ARG instructions before the first FROM
 * @param stages the stages in order
 * @param warnings docker's parser warnings, for the build's output
 */
public record Dockerfile(
        char escape, String syntax, List<Instruction.Arg> metaArgs, List<Stage> stages, List<String> warnings) {

    public Dockerfile {
        metaArgs = List.copyOf(metaArgs);
        stages = List.copyOf(stages);
        warnings = List.copyOf(warnings);
    }

    /**
     * Parses a Dockerfile as docker's parser does: parser directives, comments, continuation
     * lines, each instruction's arguments and flags, and the split into stages.
     *
     * @throws DockerfileException with docker's message and the line: {@code dockerfile parse
     *     error on line 3: unknown instruction: FOO}
     */
    public static Dockerfile parse(String text) {
        LogicalLines.Result read = LogicalLines.read(text);
        InstructionParser parser = new InstructionParser(read.escape());
        List<Instruction.Arg> metaArgs = new ArrayList<>();
        List<Stage> stages = new ArrayList<>();
        Instruction.From from = null;
        List<Instruction> instructions = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (LogicalLines.Line line : read.lines()) {
            Instruction instruction = parser.parse(line);
            if (instruction instanceof Instruction.From next) {
                if (from != null) {
                    stages.add(new Stage(from, instructions));
                }
                if (next.name() != null && !names.add(next.name())) {
                    throw new DockerfileException(line.start(), next.name() + " stage name already used");
                }
                from = next;
                instructions = new ArrayList<>();
            } else if (from != null) {
                instructions.add(instruction);
            } else if (instruction instanceof Instruction.Arg arg) {
                metaArgs.add(arg);
            } else {
                throw new DockerfileException(line.start(), "no build stage in current context");
            }
        }
        if (from == null) {
            throw new DockerfileException(read.lines().getLast().end(), "no build stage in current context");
        }
        stages.add(new Stage(from, instructions));
        return new Dockerfile(read.escape(), read.syntax(), metaArgs, stages, read.warnings());
    }

    /**
     * Parses an ONBUILD trigger of a base image (an entry of its config's OnBuild), as the
     * classic builder does before the first instruction of a stage built FROM that image: as a
     * Dockerfile of its own, where FROM, MAINTAINER and ONBUILD are not allowed.
     *
     * @throws DockerfileException for a trigger that does not parse or is not allowed
     */
    public static List<Instruction> parseTrigger(String trigger) {
        LogicalLines.Result read = LogicalLines.read(trigger);
        InstructionParser parser = new InstructionParser(read.escape());
        List<Instruction> instructions = new ArrayList<>();
        for (LogicalLines.Line line : read.lines()) {
            try {
                InstructionParser.checkTrigger(line.text());
            } catch (IllegalArgumentException e) {
                throw new DockerfileException(line.start(), e.getMessage());
            }
            instructions.add(parser.parse(line));
        }
        return List.copyOf(instructions);
    }

    /**
     * The warnings as the classic builder prints them before the build's steps:
     * {@code [WARNING]: Empty continuation line found in: RUN ...}, then one line saying such
     * lines will become errors; nothing when there are none.
     */
    public List<String> printedWarnings() {
        if (warnings.isEmpty()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        warnings.forEach(warning -> lines.add("[WARNING]: " + warning));
        lines.add("[WARNING]: Empty continuation lines will become errors in a future release.");
        return List.copyOf(lines);
    }

    /** The lexer for this file's escape character, for {@link Instruction#expand}. */
    public ShellLexer lexer() {
        return new ShellLexer(escape);
    }

    /**
     * The stages to build for {@code --target}: all of them up to and including the one named
     * (the names compare as docker's, ignoring case); all of them when target is null.
     *
     * @throws IllegalArgumentException {@code target stage "X" could not be found}
     */
    public List<Stage> stagesUpTo(String target) {
        if (target == null || target.isEmpty()) {
            return stages;
        }
        String name = target.toLowerCase(Locale.ROOT);
        for (int i = 0; i < stages.size(); i++) {
            if (name.equals(stages.get(i).name())) {
                return stages.subList(0, i + 1);
            }
        }
        throw new IllegalArgumentException("target stage \"" + target + "\" could not be found");
    }
}
