package dev.canal.engine.build;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code --name=value} flags that follow an instruction's keyword ({@code COPY --from=build},
 * {@code HEALTHCHECK --interval=5s}), read as docker reads them (moby/buildkit
 * frontend/dockerfile/parser/split_command.go and instructions/bflag.go): words that start with
 * {@code --} until the first one that does not, or a lone {@code --}; quotes and the escape
 * character work inside them.
 */
final class BuilderFlags {

    /** The flag words and the instruction's arguments after them. */
    record Split(List<String> flags, String rest) {}

    private BuilderFlags() {}

    /** Takes the leading {@code --flag} words off an instruction's arguments. */
    static Split extract(String line, char escape) {
        List<String> flags = new ArrayList<>();
        int position = 0;
        while (true) {
            while (position < line.length() && Character.isWhitespace(line.charAt(position))) {
                position++;
            }
            if (!line.startsWith("--", position)) {
                return new Split(List.copyOf(flags), line.substring(position));
            }
            StringBuilder word = new StringBuilder();
            char quote = 0;
            for (; position < line.length(); position++) {
                char ch = line.charAt(position);
                if (quote == 0 && Character.isWhitespace(ch)) {
                    break;
                }
                if (quote == 0 && (ch == '\'' || ch == '"')) {
                    quote = ch;
                    continue;
                }
                if (quote != 0 && ch == quote) {
                    quote = 0;
                    continue;
                }
                if (ch == escape) {
                    if (position + 1 == line.length()) {
                        continue;
                    }
                    ch = line.charAt(++position);
                }
                word.append(ch);
            }
            // POSIX utility syntax guideline 10: a lone -- ends the options.
            if (word.toString().equals("--")) {
                return new Split(List.copyOf(flags), line.substring(position));
            }
            flags.add(word.toString());
        }
    }

    /**
     * Checks the flags against the ones the instruction takes and returns their values, a boolean
     * flag's as {@code "true"} or {@code "false"}.
     *
     * @throws IllegalArgumentException docker's messages: {@code unknown flag: --frm}, {@code
     *     missing a value on flag: --from}, {@code duplicate flag specified: --from}
     */
    static Map<String, String> parse(List<String> flags, Set<String> strings, Set<String> booleans) {
        Map<String, String> values = new HashMap<>();
        for (String flag : flags) {
            int equals = flag.indexOf('=');
            String spelled = equals < 0 ? flag : flag.substring(0, equals);
            String name = spelled.substring(2);
            String value = equals < 0 ? null : flag.substring(equals + 1);
            if (!strings.contains(name) && !booleans.contains(name)) {
                Set<String> known = new HashSet<>(strings);
                known.addAll(booleans);
                throw new IllegalArgumentException(Suggestion.append("unknown flag: " + spelled, name, known, true));
            }
            if (values.containsKey(name)) {
                throw new IllegalArgumentException("duplicate flag specified: " + spelled);
            }
            if (strings.contains(name)) {
                if (value == null) {
                    throw new IllegalArgumentException("missing a value on flag: " + spelled);
                }
                values.put(name, value);
            } else {
                values.put(name, bool(spelled, value));
            }
        }
        return values;
    }

    private static String bool(String spelled, String value) {
        if (value == null) {
            return "true";
        }
        if (value.isEmpty()) {
            throw new IllegalArgumentException("missing a value on flag: " + spelled);
        }
        return switch (value.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> "true";
            case "false" -> "false";
            default ->
                throw new IllegalArgumentException("expecting boolean value for flag " + spelled + ", not: " + value);
        };
    }
}
