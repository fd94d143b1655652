package dev.canal.engine.build;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Docker's Dockerfile word processing (moby/buildkit frontend/dockerfile/shell/lex.go): quotes,
 * the escape character and variable substitution, a small subset of sh(1)'s word expansion:
 * {@code $VAR}, {@code ${VAR}}, {@code ${VAR:-word}}, {@code ${VAR-word}}, {@code ${VAR:+word}},
 * {@code ${VAR+word}}, {@code ${VAR:?message}}, {@code ${VAR?message}}, {@code ${VAR#pattern}},
 * {@code ${VAR##pattern}}, {@code ${VAR%pattern}}, {@code ${VAR%%pattern}} and
 * {@code ${VAR/pattern/replacement}} ({@code //} for every match). An unset variable expands to
 * nothing; positional and special parameters ({@code $1}, {@code $@}, {@code $$}) are never set.
 * Single quotes keep everything literal; in double quotes the escape character escapes only
 * {@code "}, {@code $} and itself.
 */
public final class ShellLexer {

    private static final int EOF = -1;

    private final int escape;

    /** A lexer for the Dockerfile's escape character: {@code \} or {@code `}. */
    public ShellLexer(char escape) {
        this.escape = escape;
    }

    /**
     * One word: quotes removed, variables replaced, spaces kept ({@code ENV A="x  y"} gives
     * {@code x  y}).
     *
     * @throws IllegalArgumentException {@code failed to process "TEXT": REASON}
     */
    public String word(String text, Map<String, String> variables) {
        return new Scan(text, variables).run().result();
    }

    /**
     * The words after substitution, split at unquoted spaces, the spaces inside an expanded
     * variable included ({@code EXPOSE $PORTS}).
     *
     * @throws IllegalArgumentException {@code failed to process "TEXT": REASON}
     */
    public List<String> words(String text, Map<String, String> variables) {
        return new Scan(text, variables).run().words();
    }

    private record Processed(String result, List<String> words) {}

    /** Word splitting as it goes: spaces from quotes or escapes stay inside a word. */
    private static final class Words {
        private final StringBuilder buffer = new StringBuilder();
        private final List<String> words = new ArrayList<>();
        private boolean inWord;

        void add(int ch) {
            if (Character.isWhitespace(ch)) {
                if (inWord && !buffer.isEmpty()) {
                    words.add(buffer.toString());
                    buffer.setLength(0);
                    inWord = false;
                }
            } else {
                addRaw(ch);
            }
        }

        void addRaw(int ch) {
            buffer.appendCodePoint(ch);
            inWord = true;
        }

        void add(String text) {
            text.codePoints().forEach(this::add);
        }

        void addRaw(String text) {
            buffer.append(text);
            inWord = true;
        }

        List<String> finish() {
            if (!buffer.isEmpty()) {
                words.add(buffer.toString());
                buffer.setLength(0);
                inWord = false;
            }
            return List.copyOf(words);
        }
    }

    private final class Scan {
        private final String text;
        private final Map<String, String> variables;
        private int position;
        // Inside ${VAR#...}, ${VAR%...} and ${VAR/.../...} escapes are kept: they belong to the pattern.
        private boolean rawEscapes;

        Scan(String text, Map<String, String> variables) {
            this.text = text;
            this.variables = variables;
        }

        Processed run() {
            try {
                return until(EOF, false);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("failed to process \"" + text + "\": " + e.getMessage());
            }
        }

        private int peek() {
            return position < text.length() ? text.codePointAt(position) : EOF;
        }

        private int next() {
            int ch = peek();
            if (ch != EOF) {
                position += Character.charCount(ch);
            }
            return ch;
        }

        /** Reads up to {@code stop} (consumed) or the end, expanding as it goes. */
        private Processed until(int stop, boolean raw) {
            boolean saved = rawEscapes;
            rawEscapes = raw;
            try {
                StringBuilder result = new StringBuilder();
                Words words = new Words();
                while (peek() != EOF) {
                    int ch = peek();
                    if (stop != EOF && ch == stop) {
                        next();
                        return new Processed(result.toString(), words.finish());
                    }
                    if (ch == '$') {
                        String value = dollar();
                        result.append(value);
                        words.add(value);
                    } else if (ch == '\'' || ch == '"' || ch == '<') {
                        String value = ch == '\'' ? singleQuoted() : ch == '"' ? doubleQuoted() : angle();
                        result.append(value);
                        words.addRaw(value);
                    } else {
                        ch = next();
                        if (ch == escape) {
                            if (rawEscapes) {
                                words.addRaw(ch);
                                result.appendCodePoint(ch);
                            }
                            // The escape character escapes the next one; at the very end it is dropped.
                            ch = next();
                            if (ch == EOF) {
                                break;
                            }
                            words.addRaw(ch);
                        } else {
                            words.add(ch);
                        }
                        result.appendCodePoint(ch);
                    }
                }
                if (stop != EOF) {
                    throw new IllegalArgumentException(
                            "unexpected end of statement while looking for matching " + Character.toString(stop));
                }
                return new Processed(result.toString(), words.finish());
            } finally {
                rawEscapes = saved;
            }
        }

        /** {@code '...'}: everything literal; a single quote cannot be escaped inside. */
        private String singleQuoted() {
            next();
            StringBuilder result = new StringBuilder();
            while (true) {
                int ch = next();
                if (ch == EOF) {
                    throw new IllegalArgumentException(
                            "unexpected end of statement while looking for matching single-quote");
                }
                if (ch == '\'') {
                    return result.toString();
                }
                result.appendCodePoint(ch);
            }
        }

        /** {@code "..."}: variables expand; the escape character escapes only ", $ and itself. */
        private String doubleQuoted() {
            next();
            StringBuilder result = new StringBuilder();
            while (true) {
                int ch = peek();
                if (ch == EOF) {
                    throw new IllegalArgumentException(
                            "unexpected end of statement while looking for matching double-quote");
                }
                if (ch == '"') {
                    next();
                    return result.toString();
                }
                if (ch == '$') {
                    result.append(dollar());
                    continue;
                }
                ch = next();
                if (ch == escape) {
                    if (rawEscapes) {
                        result.appendCodePoint(ch);
                    }
                    int following = peek();
                    if (following == EOF) {
                        continue;
                    }
                    if (following == '"' || following == '$' || following == escape) {
                        ch = next();
                    }
                }
                result.appendCodePoint(ch);
            }
        }

        /** {@code <<} with the spaces after it stays one word, so a heredoc marker is not split. */
        private String angle() {
            next();
            if (peek() != '<') {
                return "<";
            }
            next();
            StringBuilder result = new StringBuilder("<<");
            while (peek() == '\t' || peek() == '\r' || peek() == ' ') {
                result.appendCodePoint(next());
            }
            return result.toString();
        }

        private String dollar() {
            next();
            if (peek() != '{') {
                String name = name();
                return name.isEmpty() ? "$" : variables.getOrDefault(name, "");
            }
            next();
            int first = peek();
            if (first == EOF) {
                throw new IllegalArgumentException("syntax error: missing '}'");
            }
            if (first == '{' || first == '}' || first == ':') {
                throw new IllegalArgumentException("syntax error: bad substitution");
            }
            String name = name();
            int ch = next();
            if (ch == EOF) {
                throw new IllegalArgumentException("syntax error: missing '}'");
            }
            if (ch == '}') {
                return variables.getOrDefault(name, "");
            }
            if (ch == '/') {
                return replace(name);
            }
            String modifier = Character.toString(ch);
            boolean nullIsUnset = false;
            if (ch == ':') {
                nullIsUnset = true;
                ch = next();
                modifier += ch == EOF ? "" : Character.toString(ch);
            }
            if (ch != '+' && ch != '-' && ch != '?' && ch != '#' && ch != '%') {
                throw new IllegalArgumentException("unsupported modifier (" + modifier + ") in substitution");
            }
            boolean pattern = ch == '#' || ch == '%';
            if (nullIsUnset && pattern) {
                throw new IllegalArgumentException("unsupported modifier (" + modifier + ") in substitution");
            }
            String word = argument('}', pattern, "syntax error: missing '}'");
            String value = variables.get(name);
            boolean set = value != null;
            boolean empty = !set || (nullIsUnset && value.isEmpty());
            return switch (ch) {
                case '-' -> empty ? word : value;
                case '+' -> empty ? "" : word;
                case '?' -> {
                    if (!set) {
                        throw new IllegalArgumentException(
                                name + ": " + (word.isEmpty() ? "is not allowed to be unset" : word));
                    }
                    if (empty) {
                        throw new IllegalArgumentException(
                                name + ": " + (word.isEmpty() ? "is not allowed to be empty" : word));
                    }
                    yield value;
                }
                default -> {
                    // # and % match the shortest pattern, ## and %% the longest.
                    boolean greedy = !word.isEmpty() && word.codePointAt(0) == ch;
                    String shellPattern = greedy ? word.substring(1) : word;
                    String subject = set ? value : "";
                    yield ch == '#'
                            ? trimPrefix(shellPattern, subject, greedy)
                            : trimSuffix(shellPattern, subject, greedy);
                }
            };
        }

        /** {@code ${VAR/pattern/replacement}} and {@code ${VAR//pattern/replacement}}. */
        private String replace(String name) {
            boolean all = peek() == '/';
            if (all) {
                next();
            }
            String pattern = argument('/', true, "syntax error: missing '/' in ${}");
            String replacement = argument('}', true, "syntax error: missing '}'");
            String value = variables.getOrDefault(name, "");
            Matcher matcher = shellPattern(pattern, true, false).matcher(value);
            String literal = Matcher.quoteReplacement(replacement);
            return all ? matcher.replaceAll(literal) : matcher.replaceFirst(literal);
        }

        private String argument(int stop, boolean raw, String missing) {
            try {
                return until(stop, raw).result();
            } catch (IllegalArgumentException e) {
                if (peek() == EOF) {
                    throw new IllegalArgumentException(missing);
                }
                throw e;
            }
        }

        /** A name of letters, digits and _; or a positional ($1, $999) or special ($@, $#) parameter. */
        private String name() {
            StringBuilder name = new StringBuilder();
            while (peek() != EOF) {
                int ch = peek();
                if (name.isEmpty() && Character.isDigit(ch)) {
                    while (peek() != EOF && Character.isDigit(peek())) {
                        name.appendCodePoint(next());
                    }
                    return name.toString();
                }
                if (name.isEmpty() && "@*#?-$!0".indexOf(ch) >= 0) {
                    return Character.toString(next());
                }
                if (!Character.isLetter(ch) && !Character.isDigit(ch) && ch != '_') {
                    break;
                }
                name.appendCodePoint(next());
            }
            return name.toString();
        }
    }

    /**
     * A shell pattern ({@code *} any string, {@code ?} one character, {@code \} escapes; no
     * bracket expressions) as a regular expression.
     */
    private static Pattern shellPattern(String pattern, boolean greedy, boolean anchored) {
        StringBuilder regex = new StringBuilder(anchored ? "^" : "");
        for (int i = 0; i < pattern.length(); ) {
            int ch = pattern.codePointAt(i);
            i += Character.charCount(ch);
            switch (ch) {
                case '*' -> regex.append(greedy ? ".*" : ".*?");
                case '?' -> regex.append('.');
                case '\\' -> {
                    int following = i < pattern.length() ? pattern.codePointAt(i) : EOF;
                    // \} and \/ only protect the ${} syntax; they are not part of the pattern.
                    if (following == '}' || following == '/') {
                        continue;
                    }
                    if (following != '*' && following != '?' && following != '\\') {
                        throw new IllegalArgumentException("invalid pattern (" + pattern + ") in substitution: "
                                + "invalid escape '\\" + (following == EOF ? "" : Character.toString(following))
                                + "'");
                    }
                    regex.append('\\').appendCodePoint(following);
                    i += Character.charCount(following);
                }
                default -> regex.append(Pattern.quote(Character.toString(ch)));
            }
        }
        try {
            return Pattern.compile(regex.toString(), Pattern.DOTALL);
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException("invalid pattern (" + pattern + ") in substitution: " + e.getMessage());
        }
    }

    private static String trimPrefix(String pattern, String value, boolean greedy) {
        Matcher matcher = shellPattern(pattern, greedy, true).matcher(value);
        return matcher.find() ? value.substring(matcher.end()) : value;
    }

    /** Regular expressions find the leftmost match, so the suffix case reverses both strings. */
    private static String trimSuffix(String pattern, String value, boolean greedy) {
        String reversed = trimPrefix(reversePattern(pattern), reverse(value), greedy);
        return reverse(reversed);
    }

    /** Reverses a pattern, keeping each escape before the character it escapes: a\*c gives c\*a. */
    private static String reversePattern(String pattern) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < pattern.length(); ) {
            int ch = pattern.codePointAt(i);
            int length = Character.charCount(ch);
            if (ch == '\\' && i + length < pattern.length()) {
                length += Character.charCount(pattern.codePointAt(i + length));
            }
            tokens.add(pattern.substring(i, i + length));
            i += length;
        }
        StringBuilder reversed = new StringBuilder();
        for (int i = tokens.size() - 1; i >= 0; i--) {
            reversed.append(tokens.get(i));
        }
        return reversed.toString();
    }

    private static String reverse(String text) {
        return new StringBuilder(text).reverse().toString();
    }
}
