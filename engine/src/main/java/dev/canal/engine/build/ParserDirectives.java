package dev.canal.engine.build;

import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parser directives at the top of a Dockerfile ({@code # escape=`}, {@code # syntax=...},
 * {@code # check=...}): comments of the form {@code # name=value} before any instruction, blank
 * line or other comment, each at most once (moby/buildkit frontend/dockerfile/parser/directives.go).
 * Only {@code escape} changes how the file is read; {@code syntax} names a BuildKit front end,
 * which the classic builder ignores.
 */
final class ParserDirectives {

    private static final Pattern DIRECTIVE = Pattern.compile("^([a-zA-Z][a-zA-Z0-9]*)\\s*=\\s*(.+?)\\s*$");
    private static final Set<String> KNOWN = Set.of("syntax", "escape", "check");

    private final Set<String> seen = new HashSet<>();
    private boolean done;
    private char escape = '\\';
    private String syntax;

    /**
     * Reads one line (without its line ending); returns whether it was a directive.
     *
     * @throws IllegalArgumentException for a repeated directive or an escape other than \ or `
     */
    boolean offer(String line) {
        if (done) {
            return false;
        }
        if (!line.startsWith("#")) {
            done = true;
            return false;
        }
        Matcher matcher = DIRECTIVE.matcher(line.substring(1).stripLeading());
        String name = matcher.matches() ? matcher.group(1).toLowerCase(java.util.Locale.ROOT) : null;
        if (name == null || !KNOWN.contains(name)) {
            done = true;
            return false;
        }
        if (!seen.add(name)) {
            throw new IllegalArgumentException("only one " + name + " parser directive can be used");
        }
        String value = matcher.group(2);
        switch (name) {
            case "escape" -> {
                if (!value.equals("`") && !value.equals("\\")) {
                    throw new IllegalArgumentException("invalid escape token '" + value + "' does not match ` or \\");
                }
                escape = value.charAt(0);
            }
            case "syntax" -> syntax = value;
            default -> {}
        }
        return true;
    }

    /** The escape character: \ unless {@code # escape=`} said otherwise. */
    char escape() {
        return escape;
    }

    /** The {@code # syntax=} front end, or null. */
    String syntax() {
        return syntax;
    }
}
