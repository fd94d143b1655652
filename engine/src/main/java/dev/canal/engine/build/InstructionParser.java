package dev.canal.engine.build;

import dev.canal.engine.GoDuration;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One logical Dockerfile line into an {@link Instruction}, with docker's argument rules per
 * instruction (moby/buildkit frontend/dockerfile/parser/line_parsers.go and
 * instructions/parse.go) and docker's error messages.
 */
final class InstructionParser {

    private static final Pattern WHITESPACE = Pattern.compile("[\\t\\x0B\\f\\r ]+");
    private static final Pattern ONBUILD_KEYWORD = Pattern.compile("(?i)^\\s*ONBUILD\\s*");
    // Docker's stage names: a lower-case letter first, then letters, digits, -, _ and .
    private static final Pattern STAGE_NAME = Pattern.compile("^[a-z][a-z0-9-_.]*$");
    // A heredoc marker such as <<EOF or 3<<-"END" starting a word (parser.go's reHeredoc).
    private static final Pattern HEREDOC = Pattern.compile("(?<![<\\S])\\d*<<-?[ \\t]*[^<\\s]");
    private static final Set<String> NONE = Set.of();
    private static final Set<String> KEYWORDS = Set.of(
            "ADD",
            "ARG",
            "CMD",
            "COPY",
            "ENTRYPOINT",
            "ENV",
            "EXPOSE",
            "FROM",
            "HEALTHCHECK",
            "LABEL",
            "MAINTAINER",
            "ONBUILD",
            "RUN",
            "SHELL",
            "STOPSIGNAL",
            "USER",
            "VOLUME",
            "WORKDIR");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final char escape;

    InstructionParser(char escape) {
        this.escape = escape;
    }

    /** @throws DockerfileException naming the line, with docker's message */
    Instruction parse(LogicalLines.Line line) {
        try {
            return parse(line.text(), line.start());
        } catch (DockerfileException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new DockerfileException(line.start(), e.getMessage());
        }
    }

    private Instruction parse(String original, int line) {
        String source = original.strip();
        String[] keywordAndRest = WHITESPACE.split(source, 2);
        String keyword = keywordAndRest[0];
        BuilderFlags.Split split = keywordAndRest.length == 2
                ? BuilderFlags.extract(keywordAndRest[1], escape)
                : new BuilderFlags.Split(List.of(), "");
        String rest = split.rest().strip();
        List<String> flags = split.flags();
        return switch (keyword.toLowerCase(Locale.ROOT)) {
            case "from" -> from(whitespaceSeparated(rest), flags, line, source);
            case "arg" -> arg(words(rest), flags, line, source);
            case "env" -> new Instruction.Env(pairs(rest, "ENV", flags), line, source);
            case "label" -> new Instruction.Label(pairs(rest, "LABEL", flags), line, source);
            case "workdir" -> new Instruction.Workdir(single(rest, "WORKDIR", flags), line, source);
            case "user" -> new Instruction.User(single(rest, "USER", flags), line, source);
            case "stopsignal" -> new Instruction.StopSignal(single(rest, "STOPSIGNAL", flags), line, source);
            case "maintainer" -> new Instruction.Maintainer(single(rest, "MAINTAINER", flags), line, source);
            case "shell" -> shell(rest, flags, line, source);
            case "run" -> {
                refuseHeredoc(rest, "RUN");
                Command command = command(rest, flags);
                yield new Instruction.Run(command.arguments(), command.shellForm(), line, source);
            }
            case "cmd" -> {
                Command command = command(rest, flags);
                yield new Instruction.Cmd(command.arguments(), command.shellForm(), line, source);
            }
            case "entrypoint" -> {
                Command command = command(rest, flags);
                yield new Instruction.Entrypoint(command.arguments(), command.shellForm(), line, source);
            }
            case "copy" -> copy(rest, flags, line, source);
            case "add" -> add(rest, flags, line, source);
            case "expose" -> {
                List<String> ports = whitespaceSeparated(rest);
                if (ports.isEmpty()) {
                    throw atLeastOneArgument("EXPOSE");
                }
                BuilderFlags.parse(flags, NONE, NONE);
                yield new Instruction.Expose(ports.stream().sorted().toList(), line, source);
            }
            case "volume" -> volume(rest, flags, line, source);
            case "healthcheck" -> healthcheck(rest, flags, line, source);
            case "onbuild" -> onbuild(original, rest, flags, line, source);
            default ->
                throw new IllegalArgumentException(
                        Suggestion.append("unknown instruction: " + keyword, keyword, KEYWORDS, false));
        };
    }

    private Instruction.From from(List<String> arguments, List<String> flags, int line, String source) {
        String name = null;
        if (arguments.size() == 3 && arguments.get(1).equalsIgnoreCase("as")) {
            name = arguments.get(2).toLowerCase(Locale.ROOT);
            if (!STAGE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("invalid name for build stage: \"" + arguments.get(2)
                        + "\", name can't start with a number or contain symbols");
            }
        } else if (arguments.size() != 1) {
            throw new IllegalArgumentException("FROM requires either one or three arguments");
        }
        String platform = given(BuilderFlags.parse(flags, Set.of("platform"), NONE), "platform");
        return new Instruction.From(arguments.getFirst(), name, platform, line, source);
    }

    private static Instruction.Arg arg(List<String> words, List<String> flags, int line, String source) {
        if (words.isEmpty()) {
            throw atLeastOneArgument("ARG");
        }
        BuilderFlags.parse(flags, NONE, NONE);
        List<KeyValue> declarations = new ArrayList<>();
        for (String word : words) {
            int equals = word.indexOf('=');
            if (equals == 0) {
                throw new IllegalArgumentException("ARG names can not be blank");
            }
            declarations.add(
                    equals < 0
                            ? new KeyValue(word, null)
                            : new KeyValue(word.substring(0, equals), word.substring(equals + 1)));
        }
        return new Instruction.Arg(List.copyOf(declarations), line, source);
    }

    /**
     * ENV and LABEL: {@code NAME=VALUE ...}, or the old {@code NAME VALUE WITH SPACES} when the
     * first word has no {@code =}. Values keep their quotes until {@link Instruction#expand}.
     */
    private List<KeyValue> pairs(String rest, String instruction, List<String> flags) {
        BuilderFlags.parse(flags, NONE, NONE);
        List<String> words = words(rest);
        if (words.isEmpty()) {
            throw atLeastOneArgument(instruction);
        }
        List<KeyValue> pairs = new ArrayList<>();
        if (!words.getFirst().contains("=")) {
            String[] nameAndValue = WHITESPACE.split(rest, 2);
            if (nameAndValue.length < 2) {
                throw new IllegalArgumentException(instruction + " must have two arguments");
            }
            pairs.add(new KeyValue(nameAndValue[0], nameAndValue[1]));
        } else {
            for (String word : words) {
                int equals = word.indexOf('=');
                if (equals < 0) {
                    throw new IllegalArgumentException(
                            "Syntax error - can't find = in \"" + word + "\". Must be of the form: name=value");
                }
                pairs.add(new KeyValue(word.substring(0, equals), word.substring(equals + 1)));
            }
        }
        if (pairs.stream().anyMatch(pair -> pair.key().isEmpty())) {
            throw new IllegalArgumentException(instruction + " names can not be blank");
        }
        return List.copyOf(pairs);
    }

    /** WORKDIR, USER, STOPSIGNAL, MAINTAINER: the whole rest of the line is the one argument. */
    private static String single(String rest, String instruction, List<String> flags) {
        if (rest.isEmpty()) {
            throw new IllegalArgumentException(instruction + " requires exactly one argument");
        }
        BuilderFlags.parse(flags, NONE, NONE);
        return rest;
    }

    private static Instruction.Shell shell(String rest, List<String> flags, int line, String source) {
        Command command = command(rest, flags);
        if (command.arguments().isEmpty()) {
            throw atLeastOneArgument("SHELL");
        }
        if (command.shellForm()) {
            throw new IllegalArgumentException("SHELL requires the arguments to be in JSON form");
        }
        return new Instruction.Shell(command.arguments(), line, source);
    }

    private Instruction.Copy copy(String rest, List<String> flags, int line, String source) {
        List<String> arguments = fileArguments(rest, "COPY");
        Map<String, String> values = BuilderFlags.parse(flags, Set.of("from", "chown", "chmod"), Set.of("link"));
        return new Instruction.Copy(
                arguments.subList(0, arguments.size() - 1),
                arguments.getLast(),
                given(values, "from"),
                given(values, "chown"),
                given(values, "chmod"),
                "true".equals(values.get("link")),
                line,
                source);
    }

    private Instruction.Add add(String rest, List<String> flags, int line, String source) {
        List<String> arguments = fileArguments(rest, "ADD");
        Map<String, String> values = BuilderFlags.parse(flags, Set.of("chown", "chmod"), Set.of("link"));
        return new Instruction.Add(
                arguments.subList(0, arguments.size() - 1),
                arguments.getLast(),
                given(values, "chown"),
                given(values, "chmod"),
                "true".equals(values.get("link")),
                line,
                source);
    }

    /** A flag's value, null when it is missing or empty: docker reads {@code --from=} as no --from. */
    private static String given(Map<String, String> values, String name) {
        String value = values.get(name);
        return value == null || value.isEmpty() ? null : value;
    }

    /** COPY and ADD take a JSON array or whitespace-separated words: sources, then a destination. */
    private static List<String> fileArguments(String rest, String instruction) {
        refuseHeredoc(rest, instruction);
        List<String> arguments = json(rest).orElseGet(() -> whitespaceSeparated(rest));
        if (arguments.size() < 2) {
            throw new IllegalArgumentException(
                    instruction
                            + " requires at least two arguments, but only one was provided. Destination could not be determined");
        }
        return List.copyOf(arguments);
    }

    private static Instruction.Volume volume(String rest, List<String> flags, int line, String source) {
        List<String> paths = json(rest).orElseGet(() -> whitespaceSeparated(rest));
        if (paths.isEmpty()) {
            throw atLeastOneArgument("VOLUME");
        }
        BuilderFlags.parse(flags, NONE, NONE);
        List<String> trimmed = paths.stream().map(String::strip).toList();
        if (trimmed.contains("")) {
            throw new IllegalArgumentException("VOLUME specified can not be an empty string");
        }
        return new Instruction.Volume(trimmed, line, source);
    }

    /** {@code HEALTHCHECK NONE} or {@code HEALTHCHECK [--interval= --timeout= ...] CMD command}. */
    private static Instruction.Healthcheck healthcheck(String rest, List<String> flags, int line, String source) {
        String[] typeAndCommand = rest.isEmpty() ? new String[0] : rest.split("\\s+", 2);
        if (typeAndCommand.length == 0) {
            throw atLeastOneArgument("HEALTHCHECK");
        }
        String type = typeAndCommand[0].toUpperCase(Locale.ROOT);
        String commandText = typeAndCommand.length == 2 ? typeAndCommand[1] : "";
        if (type.equals("NONE")) {
            if (!commandText.isEmpty()) {
                throw new IllegalArgumentException("HEALTHCHECK NONE takes no arguments");
            }
            return new Instruction.Healthcheck(
                    List.of("NONE"), Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0, line, source);
        }
        Map<String, String> values = BuilderFlags.parse(
                flags, Set.of("interval", "timeout", "start-period", "start-interval", "retries"), NONE);
        if (!type.equals("CMD")) {
            throw new IllegalArgumentException("Unknown type \"" + type + "\" in HEALTHCHECK (try CMD)");
        }
        Command command = command(commandText);
        if (command.arguments().isEmpty()) {
            throw new IllegalArgumentException("Missing command after HEALTHCHECK CMD");
        }
        List<String> test = new ArrayList<>();
        test.add(command.shellForm() ? "CMD-SHELL" : "CMD");
        test.addAll(command.arguments());
        return new Instruction.Healthcheck(
                List.copyOf(test),
                interval(values, "interval"),
                interval(values, "timeout"),
                interval(values, "start-period"),
                interval(values, "start-interval"),
                retries(values.get("retries")),
                line,
                source);
    }

    private static Duration interval(Map<String, String> values, String name) {
        String text = values.get(name);
        if (text == null || text.isEmpty()) {
            return Duration.ZERO;
        }
        Duration duration = GoDuration.parse(text);
        if (!duration.isZero() && duration.compareTo(Duration.ofMillis(1)) < 0) {
            throw new IllegalArgumentException("Interval \"" + name + "\" cannot be less than 1ms");
        }
        return duration;
    }

    private static int retries(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        int retries;
        try {
            retries = Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("strconv.ParseInt: parsing \"" + text + "\": invalid syntax");
        }
        if (retries < 0) {
            throw new IllegalArgumentException("--retries cannot be negative (" + retries + ")");
        }
        return retries;
    }

    /** ONBUILD keeps its trigger's text; the trigger is parsed when a child image is built. */
    private Instruction.Onbuild onbuild(String original, String rest, List<String> flags, int line, String source) {
        if (rest.isEmpty()) {
            throw atLeastOneArgument("ONBUILD");
        }
        BuilderFlags.parse(flags, NONE, NONE);
        checkTrigger(rest);
        String expression = ONBUILD_KEYWORD.matcher(original).replaceFirst("").strip();
        return new Instruction.Onbuild(expression, line, source);
    }

    /**
     * Refuses the instructions docker does not allow as ONBUILD triggers: FROM, MAINTAINER and
     * ONBUILD itself.
     */
    static void checkTrigger(String trigger) {
        String keyword = WHITESPACE.split(trigger.strip(), 2)[0].toUpperCase(Locale.ROOT);
        switch (keyword) {
            case "ONBUILD" ->
                throw new IllegalArgumentException("Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed");
            case "MAINTAINER", "FROM" ->
                throw new IllegalArgumentException(keyword + " isn't allowed as an ONBUILD trigger");
            default -> {}
        }
    }

    /** RUN, CMD, ENTRYPOINT, SHELL: a JSON array of strings (exec form) or one command line. */
    private record Command(List<String> arguments, boolean shellForm) {}

    /** RUN, CMD, ENTRYPOINT and SHELL take no flags. */
    private static Command command(String rest, List<String> flags) {
        BuilderFlags.parse(flags, NONE, NONE);
        return command(rest);
    }

    private static Command command(String rest) {
        if (rest.isEmpty()) {
            return new Command(List.of(), true);
        }
        return json(rest).map(argv -> new Command(argv, false)).orElseGet(() -> new Command(List.of(rest), true));
    }

    /**
     * The JSON array of strings, or empty if the text is not a JSON array (then docker takes it as
     * shell form).
     *
     * @throws IllegalArgumentException for a JSON array that holds anything but strings
     */
    private static Optional<List<String>> json(String rest) {
        if (!rest.startsWith("[")) {
            return Optional.empty();
        }
        JsonNode array;
        try {
            array = JSON.readTree(rest);
        } catch (JacksonException e) {
            return Optional.empty();
        }
        if (array == null || !array.isArray()) {
            return Optional.empty();
        }
        List<String> strings = new ArrayList<>();
        for (JsonNode element : array) {
            if (!element.isString()) {
                throw new IllegalArgumentException(
                        "when using JSON array syntax, arrays must be comprised of strings only");
            }
            strings.add(element.stringValue());
        }
        return Optional.of(List.copyOf(strings));
    }

    private static List<String> whitespaceSeparated(String rest) {
        return rest.isEmpty() ? List.of() : List.of(WHITESPACE.split(rest));
    }

    /**
     * Words split at unquoted blanks, quotes and escapes kept (parseWords in line_parsers.go);
     * the shell lexer removes them when the instruction is expanded.
     */
    private List<String> words(String rest) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        boolean blankAllowed = false;
        int quote = 0;
        for (int position = 0; position < rest.length(); ) {
            int ch = rest.codePointAt(position);
            position += Character.charCount(ch);
            if (quote == 0 && Character.isWhitespace(ch)) {
                if (inWord && (blankAllowed || !word.isEmpty())) {
                    words.add(word.toString());
                }
                word.setLength(0);
                inWord = false;
                blankAllowed = false;
                continue;
            }
            inWord = true;
            if (quote == 0 && (ch == '\'' || ch == '"')) {
                quote = ch;
                blankAllowed = true;
            } else if (quote != 0 && ch == quote) {
                quote = 0;
            } else if (ch == escape && quote != '\'') {
                // The escape character and what it escapes stay together; single quotes escape nothing.
                if (position == rest.length()) {
                    if (quote != 0) {
                        quote = 0;
                    }
                    continue;
                }
                word.appendCodePoint(ch);
                ch = rest.codePointAt(position);
                position += Character.charCount(ch);
            }
            word.appendCodePoint(ch);
        }
        if (inWord && (blankAllowed || !word.isEmpty())) {
            words.add(word.toString());
        }
        return List.copyOf(words);
    }

    /** The classic builder has no heredocs (BuildKit's {@code RUN <<EOF}); say so rather than misread. */
    private static void refuseHeredoc(String rest, String instruction) {
        if (!rest.startsWith("[") && HEREDOC.matcher(rest).find()) {
            throw new IllegalArgumentException(
                    instruction + " with a heredoc (<<EOF) is not supported: the classic builder has no heredocs");
        }
    }

    private static IllegalArgumentException atLeastOneArgument(String instruction) {
        return new IllegalArgumentException(instruction + " requires at least one argument");
    }
}
