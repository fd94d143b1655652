package dev.canal.engine.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A {@code .dockerignore} file: which paths of the build context are left out, with docker's
 * rules (moby/patternmatcher, ignorefile.ReadAll and PatternMatcher.MatchesOrParentMatches):
 * <ul>
 *   <li>one pattern a line; lines starting with {@code #} are comments; blanks are trimmed;
 *   <li>patterns are cleaned as paths ({@code ./a//b/} is {@code a/b}) and a leading {@code /}
 *       is dropped: every pattern is relative to the context's root;
 *   <li>{@code *}, {@code ?}, {@code [a-z]}, {@code [^a-z]} and {@code \} escapes as Go's
 *       filepath.Match, where {@code *} and {@code ?} stop at {@code /}; {@code **} matches any
 *       number of directories, none included;
 *   <li>a path is excluded when it or one of its parent directories matches, and the last
 *       matching pattern decides: {@code !pattern} brings a path back.
 * </ul>
 * The docker CLI also always sends the Dockerfile and .dockerignore themselves, ignored or not;
 * that is the build's concern, not this class's.
 */
public final class DockerIgnore {

    private final List<Rule> rules;

    private DockerIgnore(List<Rule> rules) {
        this.rules = rules;
    }

    /** An empty file: nothing is ignored. */
    public static DockerIgnore none() {
        return new DockerIgnore(List.of());
    }

    /**
     * Reads a .dockerignore file's text.
     *
     * @throws IllegalArgumentException for a lone {@code !} or a malformed pattern such as
     *     {@code [a}, with docker's message
     */
    public static DockerIgnore parse(String text) {
        List<Rule> rules = new ArrayList<>();
        String content = text.startsWith("\uFEFF") ? text.substring(1) : text;
        for (String line : content.split("\n", -1)) {
            if (line.startsWith("#")) {
                continue;
            }
            String pattern = line.strip();
            if (pattern.isEmpty()) {
                continue;
            }
            boolean exception = pattern.startsWith("!");
            if (exception) {
                pattern = pattern.substring(1).strip();
                if (pattern.isEmpty()) {
                    throw new IllegalArgumentException("illegal exclusion pattern: \"!\"");
                }
            }
            pattern = clean(pattern);
            if (pattern.length() > 1 && pattern.startsWith("/")) {
                pattern = pattern.substring(1);
            }
            rules.add(new Rule(exception, PathPattern.compile(pattern)));
        }
        return new DockerIgnore(List.copyOf(rules));
    }

    /**
     * Whether a path of the context (relative, with {@code /}) is left out. The context's root
     * itself never is.
     */
    public boolean matches(String relativePath) {
        String path = clean(relativePath);
        if (path.equals(".")) {
            return false;
        }
        List<String> parents = new ArrayList<>();
        for (int slash = path.indexOf('/'); slash > 0; slash = path.indexOf('/', slash + 1)) {
            parents.add(path.substring(0, slash));
        }
        boolean ignored = false;
        for (Rule rule : rules) {
            // An ignoring rule cannot change an ignored path, nor an exception a kept one.
            if (rule.exception() != ignored) {
                continue;
            }
            boolean match = rule.pattern().matches(path) || parents.stream().anyMatch(rule.pattern()::matches);
            if (match) {
                ignored = !rule.exception();
            }
        }
        return ignored;
    }

    private record Rule(boolean exception, PathPattern pattern) {}

    /**
     * Go's filepath.Clean for / paths: repeated slashes, {@code .} and {@code dir/..} go away,
     * and so does a trailing slash; nothing left is {@code .}.
     */
    static String clean(String path) {
        boolean rooted = path.startsWith("/");
        List<String> parts = new ArrayList<>();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!parts.isEmpty() && !parts.getLast().equals("..")) {
                    parts.removeLast();
                    continue;
                }
                if (rooted) {
                    continue;
                }
            }
            parts.add(part);
        }
        String joined = String.join("/", parts);
        if (rooted) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    /** One pattern, matched as patternmatcher matches it: exactly, by prefix, suffix or regex. */
    private record PathPattern(String pattern, Kind kind, Pattern regex) {

        enum Kind {
            EXACT,
            PREFIX,
            SUFFIX,
            REGEX
        }

        boolean matches(String path) {
            return switch (kind) {
                case EXACT -> path.equals(pattern);
                // dir/** : everything under dir (the trailing ** stripped).
                case PREFIX -> path.startsWith(pattern.substring(0, pattern.length() - 2));
                // **/name : the name at any depth, the root included.
                case SUFFIX -> {
                    String suffix = pattern.substring(2);
                    yield path.endsWith(suffix) || (suffix.startsWith("/") && path.equals(suffix.substring(1)));
                }
                case REGEX -> regex.matcher(path).find();
            };
        }

        static PathPattern compile(String pattern) {
            checkSyntax(pattern);
            StringBuilder regex = new StringBuilder("^");
            Kind kind = Kind.EXACT;
            boolean inClass = false;
            int position = 0;
            for (int step = 0; position < pattern.length(); step++) {
                char ch = pattern.charAt(position++);
                char next = position < pattern.length() ? pattern.charAt(position) : 0;
                if (ch == '*' && next == '*') {
                    position++;
                    // **/ is the same as **.
                    if (position < pattern.length() && pattern.charAt(position) == '/') {
                        position++;
                    }
                    if (position == pattern.length()) {
                        // A trailing ** matches everything below, as in .gitignore.
                        if (kind == Kind.EXACT) {
                            kind = Kind.PREFIX;
                        } else {
                            regex.append(".*");
                            kind = Kind.REGEX;
                        }
                    } else {
                        // Any number of directories, none included.
                        regex.append("(.*/)?");
                        kind = Kind.REGEX;
                    }
                    if (step == 0) {
                        kind = Kind.SUFFIX;
                    }
                } else if (ch == '*') {
                    regex.append("[^/]*");
                    kind = Kind.REGEX;
                } else if (ch == '?') {
                    regex.append("[^/]");
                    kind = Kind.REGEX;
                } else if (".+()|{}$".indexOf(ch) >= 0) {
                    regex.append('\\').append(ch);
                } else if (ch == '\\') {
                    if (position < pattern.length()) {
                        regex.append('\\').append(pattern.charAt(position++));
                        kind = Kind.REGEX;
                    } else {
                        regex.append("\\\\");
                    }
                } else if (ch == '[' && !inClass) {
                    regex.append('[');
                    inClass = true;
                    kind = Kind.REGEX;
                } else if (ch == ']' && inClass) {
                    regex.append(']');
                    inClass = false;
                } else if (ch == '[' || ch == '&' || ch == ']') {
                    // Literal inside a class in Go; Java's classes give [ and && a meaning.
                    regex.append('\\').append(ch);
                } else {
                    regex.append(ch);
                }
            }
            return new PathPattern(pattern, kind, kind == Kind.REGEX ? Pattern.compile(regex + "$") : null);
        }

        /** filepath.Match's syntax errors: an unclosed or empty class, a bad range, a trailing \. */
        private static void checkSyntax(String pattern) {
            int position = 0;
            while (position < pattern.length()) {
                char ch = pattern.charAt(position++);
                if (ch == '\\') {
                    if (position == pattern.length()) {
                        throw badPattern(pattern);
                    }
                    position++;
                } else if (ch == '[') {
                    position = classEnd(pattern, position);
                }
            }
        }

        /** Checks a [class] starting after its [ and returns the position after its ]. */
        private static int classEnd(String pattern, int position) {
            if (position < pattern.length() && pattern.charAt(position) == '^') {
                position++;
            }
            int ranges = 0;
            while (true) {
                if (position >= pattern.length()) {
                    throw badPattern(pattern);
                }
                if (pattern.charAt(position) == ']' && ranges > 0) {
                    return position + 1;
                }
                position = classCharacterEnd(pattern, position);
                if (position < pattern.length() && pattern.charAt(position) == '-') {
                    position = classCharacterEnd(pattern, position + 1);
                }
                ranges++;
            }
        }

        private static int classCharacterEnd(String pattern, int position) {
            if (position >= pattern.length()) {
                throw badPattern(pattern);
            }
            char ch = pattern.charAt(position);
            if (ch == '-' || ch == ']') {
                throw badPattern(pattern);
            }
            if (ch == '\\') {
                if (position + 1 >= pattern.length()) {
                    throw badPattern(pattern);
                }
                return position + 2;
            }
            return position + 1;
        }

        private static IllegalArgumentException badPattern(String pattern) {
            return new IllegalArgumentException("syntax error in pattern: " + pattern);
        }
    }
}
