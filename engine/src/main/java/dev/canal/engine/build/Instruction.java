package dev.canal.engine.build;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One Dockerfile instruction, as docker's parser reads it (moby/buildkit
 * frontend/dockerfile/instructions). Each keeps the line it starts on and its source text: the
 * instruction as written, continuation lines joined, which the classic builder puts into the
 * build cache key and the image history.
 *
 * <p>Words are kept as written, quotes and {@code $VARIABLES} included. {@link #expand} applies
 * docker's variable substitution (the shell lexer's rules) to the instructions the builder
 * expands (ENV, LABEL, ARG, FROM, WORKDIR, USER, COPY, ADD, EXPOSE, VOLUME, STOPSIGNAL); RUN,
 * CMD, ENTRYPOINT, SHELL, HEALTHCHECK, ONBUILD and MAINTAINER are left to the shell that runs
 * them, as docker leaves them.
 */
public sealed interface Instruction {

    /** The 1-based line the instruction starts on. */
    int line();

    /** The instruction as written, continuation lines joined and the ends trimmed. */
    String source();

    /**
     * This instruction with {@code $VAR} and {@code ${VAR...}} replaced from {@code variables}
     * (the stage's ENV, then its declared ARGs) and quotes removed, as the classic builder does
     * just before it runs the instruction.
     *
     * @throws DockerfileException for a bad substitution such as {@code ${}} or {@code ${X:?}}
     */
    default Instruction expand(ShellLexer lexer, Map<String, String> variables) {
        return this;
    }

    /** {@code FROM [--platform=P] IMAGE [AS NAME]}; the name is lower-cased, as docker does. */
    record From(String image, String name, String platform, int line, String source) implements Instruction {
        @Override
        public From expand(ShellLexer lexer, Map<String, String> variables) {
            String expanded = word(lexer, image, variables, line);
            if (expanded.isEmpty()) {
                throw new DockerfileException(line, "base name (" + image + ") should not be blank");
            }
            String expandedPlatform = platform == null ? null : word(lexer, platform, variables, line);
            return new From(expanded, name, expandedPlatform, line, source);
        }
    }

    /** {@code ARG NAME[=DEFAULT] ...}: a {@link KeyValue} with a null value has no default. */
    record Arg(List<KeyValue> declarations, int line, String source) implements Instruction {
        @Override
        public Arg expand(ShellLexer lexer, Map<String, String> variables) {
            return new Arg(pairs(lexer, declarations, variables, line), line, source);
        }
    }

    /** {@code ENV NAME=VALUE ...} or the old {@code ENV NAME VALUE WITH SPACES}. */
    record Env(List<KeyValue> variables, int line, String source) implements Instruction {
        @Override
        public Env expand(ShellLexer lexer, Map<String, String> scope) {
            return new Env(pairs(lexer, variables, scope, line), line, source);
        }
    }

    /** {@code LABEL KEY=VALUE ...}. */
    record Label(List<KeyValue> labels, int line, String source) implements Instruction {
        @Override
        public Label expand(ShellLexer lexer, Map<String, String> variables) {
            return new Label(pairs(lexer, labels, variables, line), line, source);
        }
    }

    /** {@code WORKDIR PATH}. */
    record Workdir(String path, int line, String source) implements Instruction {
        @Override
        public Workdir expand(ShellLexer lexer, Map<String, String> variables) {
            return new Workdir(word(lexer, path, variables, line), line, source);
        }
    }

    /** {@code USER NAME[:GROUP]}. */
    record User(String user, int line, String source) implements Instruction {
        @Override
        public User expand(ShellLexer lexer, Map<String, String> variables) {
            return new User(word(lexer, user, variables, line), line, source);
        }
    }

    /** {@code SHELL ["executable", "parameters"]}: only the JSON form is allowed. */
    record Shell(List<String> shell, int line, String source) implements Instruction {}

    /**
     * RUN, CMD and ENTRYPOINT: in shell form {@code command} is the one command line to hand to
     * the stage's SHELL (default {@code /bin/sh -c}); in exec form ({@code RUN ["a", "b"]}) it is
     * the argv itself.
     */
    sealed interface CommandLine extends Instruction {
        List<String> command();

        boolean shellForm();

        /** The argv to run: the shell form after {@code shell} (the SHELL, or /bin/sh -c). */
        default List<String> argv(List<String> shell) {
            if (!shellForm()) {
                return command();
            }
            List<String> argv = new ArrayList<>(shell);
            argv.addAll(command());
            return List.copyOf(argv);
        }
    }

    /** {@code RUN command} or {@code RUN ["executable", "argument"]}. */
    record Run(List<String> command, boolean shellForm, int line, String source) implements CommandLine {}

    /** {@code CMD}, in the same two forms as {@link Run}. */
    record Cmd(List<String> command, boolean shellForm, int line, String source) implements CommandLine {}

    /** {@code ENTRYPOINT}, in the same two forms as {@link Run}; {@code ENTRYPOINT []} clears it. */
    record Entrypoint(List<String> command, boolean shellForm, int line, String source) implements CommandLine {}

    /** COPY and ADD: sources (paths in the context, globs allowed) and a destination. */
    sealed interface FileTransfer extends Instruction {
        List<String> sources();

        String destination();

        /** {@code --chown=USER[:GROUP]}, or null. */
        String chown();

        /** {@code --chmod=MODE}, or null. */
        String chmod();

        /** {@code --link}: accepted and ignored, as it only changes how BuildKit stores layers. */
        boolean link();
    }

    /** {@code COPY [--from=STAGE|IMAGE] [--chown] [--chmod] [--link] SRC... DEST}. */
    record Copy(
            List<String> sources,
            String destination,
            String from,
            String chown,
            String chmod,
            boolean link,
            int line,
            String source)
            implements FileTransfer {
        @Override
        public Copy expand(ShellLexer lexer, Map<String, String> variables) {
            return new Copy(
                    words(lexer, sources, variables, line),
                    word(lexer, destination, variables, line),
                    optionalWord(lexer, from, variables, line),
                    optionalWord(lexer, chown, variables, line),
                    optionalWord(lexer, chmod, variables, line),
                    link,
                    line,
                    source);
        }
    }

    /** {@code ADD [--chown] [--chmod] [--link] SRC... DEST}: COPY that also unpacks local tars. */
    record Add(
            List<String> sources, String destination, String chown, String chmod, boolean link, int line, String source)
            implements FileTransfer {
        @Override
        public Add expand(ShellLexer lexer, Map<String, String> variables) {
            return new Add(
                    words(lexer, sources, variables, line),
                    word(lexer, destination, variables, line),
                    optionalWord(lexer, chown, variables, line),
                    optionalWord(lexer, chmod, variables, line),
                    link,
                    line,
                    source);
        }
    }

    /**
     * {@code EXPOSE PORT[/PROTO] ...}. The one instruction whose variables may expand into
     * several words: {@code EXPOSE $PORTS} with {@code PORTS="80 443"} exposes two ports.
     */
    record Expose(List<String> ports, int line, String source) implements Instruction {
        @Override
        public Expose expand(ShellLexer lexer, Map<String, String> variables) {
            List<String> expanded = new ArrayList<>();
            for (String port : ports) {
                try {
                    expanded.addAll(lexer.words(port, variables));
                } catch (IllegalArgumentException e) {
                    throw new DockerfileException(line, e.getMessage());
                }
            }
            return new Expose(List.copyOf(expanded), line, source);
        }
    }

    /** {@code VOLUME PATH ...} or {@code VOLUME ["PATH", ...]}. */
    record Volume(List<String> paths, int line, String source) implements Instruction {
        @Override
        public Volume expand(ShellLexer lexer, Map<String, String> variables) {
            return new Volume(words(lexer, paths, variables, line), line, source);
        }
    }

    /** {@code STOPSIGNAL SIGNAL}. */
    record StopSignal(String signal, int line, String source) implements Instruction {
        @Override
        public StopSignal expand(ShellLexer lexer, Map<String, String> variables) {
            return new StopSignal(word(lexer, signal, variables, line), line, source);
        }
    }

    /**
     * {@code HEALTHCHECK [OPTIONS] CMD ...} or {@code HEALTHCHECK NONE}, as the image config's
     * Healthcheck: {@code test} is {@code ["NONE"]}, {@code ["CMD", argv...]} or
     * {@code ["CMD-SHELL", command]}; a zero duration or retry count means "inherit the
     * default", as in docker.
     */
    record Healthcheck(
            List<String> test,
            Duration interval,
            Duration timeout,
            Duration startPeriod,
            Duration startInterval,
            int retries,
            int line,
            String source)
            implements Instruction {}

    /** {@code ONBUILD INSTRUCTION}: the trigger's text, run when an image is built FROM this one. */
    record Onbuild(String expression, int line, String source) implements Instruction {}

    /** {@code MAINTAINER NAME}: deprecated; the image's Author field. */
    record Maintainer(String name, int line, String source) implements Instruction {}

    private static String word(ShellLexer lexer, String text, Map<String, String> variables, int line) {
        try {
            return lexer.word(text, variables);
        } catch (IllegalArgumentException e) {
            throw new DockerfileException(line, e.getMessage());
        }
    }

    private static String optionalWord(ShellLexer lexer, String text, Map<String, String> variables, int line) {
        return text == null ? null : word(lexer, text, variables, line);
    }

    private static List<String> words(ShellLexer lexer, List<String> texts, Map<String, String> variables, int line) {
        return texts.stream().map(text -> word(lexer, text, variables, line)).toList();
    }

    private static List<KeyValue> pairs(
            ShellLexer lexer, List<KeyValue> pairs, Map<String, String> variables, int line) {
        return pairs.stream()
                .map(pair -> new KeyValue(
                        word(lexer, pair.key(), variables, line), optionalWord(lexer, pair.value(), variables, line)))
                .toList();
    }
}
