package dev.canal.runtime.oci;

/**
 * A value from a config as an error message shows it: quotes, backslashes and control characters
 * escaped as in a JSON string, so that a newline or a NUL in the value cannot break the
 * message's one line, and cut after {@value #SHOWN} characters, saying how long it was.
 */
public final class Quoted {

    private static final int SHOWN = 100;

    private Quoted() {}

    /** {@code value} between double quotes: {@code "line\nbreak"}. */
    public static String of(String value) {
        String quoted = "\"" + escape(value.substring(0, Math.min(value.length(), SHOWN))) + "\"";
        return value.length() > SHOWN ? quoted + "... (" + value.length() + " characters)" : quoted;
    }

    /** {@code value} escaped and cut, without quotes: for a value inside other text, such as a path. */
    public static String bare(String value) {
        String escaped = escape(value.substring(0, Math.min(value.length(), SHOWN)));
        return value.length() > SHOWN ? escaped + "... (" + value.length() + " characters)" : escaped;
    }

    private static String escape(String value) {
        var escaped = new StringBuilder();
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> escaped.append("\\\"");
                case '\\' -> escaped.append("\\\\");
                case '\n' -> escaped.append("\\n");
                case '\t' -> escaped.append("\\t");
                default ->
                    escaped.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
            }
        }
        return escaped.toString();
    }
}
