package dev.canal.engine.build;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first step of docker's Dockerfile parser (moby/buildkit frontend/dockerfile/parser/parser.go):
 * physical lines into instructions. Parser directives are read at the top; comment lines and
 * blank lines are dropped; a line ending in the escape character continues on the next one,
 * where comment lines and empty lines are skipped (the empty ones with docker's warning).
 * Leading whitespace is stripped from an instruction's first line only.
 */
final class LogicalLines {

    /** One instruction's text, continuation lines joined, and the lines it spans (1-based). */
    record Line(int start, int end, String text) {}

    record Result(char escape, String syntax, List<Line> lines, List<String> warnings) {}

    /**
     * The escape character as the last non-blank character continues the line, unless another
     * escape character precedes it (a trailing {@code \\} is an escaped backslash); alone on a
     * line it continues too.
     */
    private static final Pattern BACKSLASH_CONTINUATION = continuation('\\');

    private static final Pattern BACKTICK_CONTINUATION = continuation('`');

    private LogicalLines() {}

    private static Pattern continuation(char escape) {
        String e = "\\" + escape;
        return Pattern.compile("([^" + e + "])" + e + "[ \\t]*$|^" + e + "[ \\t]*$", Pattern.DOTALL);
    }

    static Result read(String text) {
        List<String> physical = physicalLines(text.startsWith("\uFEFF") ? text.substring(1) : text);
        ParserDirectives directives = new ParserDirectives();
        List<Line> lines = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        int index = 0;
        while (index < physical.size()) {
            int start = index + 1;
            String first = directive(directives, physical.get(index).stripLeading(), start);
            index++;
            Pattern continuation = directives.escape() == '`' ? BACKTICK_CONTINUATION : BACKSLASH_CONTINUATION;
            Piece piece = piece(continuation, first);
            if (!piece.continues() && piece.text().isEmpty()) {
                continue;
            }
            StringBuilder joined = new StringBuilder(piece.text());
            boolean emptyContinuation = false;
            while (piece.continues() && index < physical.size()) {
                String raw = physical.get(index);
                String next = directive(directives, raw, index + 1);
                index++;
                if (isComment(raw)) {
                    continue;
                }
                if (next.isBlank()) {
                    emptyContinuation = true;
                    continue;
                }
                piece = piece(continuation, next);
                joined.append(piece.text());
            }
            if (emptyContinuation) {
                warnings.add("Empty continuation line found in: " + joined);
            }
            lines.add(new Line(start, index, joined.toString()));
        }
        if (lines.isEmpty()) {
            throw new DockerfileException(Math.max(physical.size(), 1), "file with no instructions");
        }
        return new Result(directives.escape(), directives.syntax(), List.copyOf(lines), List.copyOf(warnings));
    }

    /** Lines without their endings; a final line without a newline counts. */
    private static List<String> physicalLines(String text) {
        List<String> lines = new ArrayList<>();
        int from = 0;
        while (from < text.length()) {
            int newline = text.indexOf('\n', from);
            int to = newline < 0 ? text.length() : newline;
            lines.add(stripLineEnding(text.substring(from, to)));
            from = to + 1;
        }
        return lines;
    }

    private static String stripLineEnding(String line) {
        int end = line.length();
        while (end > 0 && (line.charAt(end - 1) == '\r' || line.charAt(end - 1) == '\n')) {
            end--;
        }
        return line.substring(0, end);
    }

    /** Offers the line to the directive parser; comments (directives included) become empty. */
    private static String directive(ParserDirectives directives, String line, int number) {
        try {
            directives.offer(line);
        } catch (IllegalArgumentException e) {
            throw new DockerfileException(number, e.getMessage());
        }
        return isComment(line) ? "" : line;
    }

    private static boolean isComment(String line) {
        return line.stripLeading().startsWith("#");
    }

    /** A physical line's share of an instruction, and whether the instruction goes on. */
    private record Piece(String text, boolean continues) {}

    private static Piece piece(Pattern continuation, String line) {
        Matcher matcher = continuation.matcher(line);
        if (!matcher.find()) {
            return new Piece(line, false);
        }
        String kept = matcher.group(1) == null ? "" : matcher.group(1);
        return new Piece(line.substring(0, matcher.start()) + kept, true);
    }
}
