package dev.canal.runtime.testing;

import java.util.List;
import java.util.regex.Pattern;

/**
 * What an error about a bad config.json must look like: one line that names the field, as a JSON
 * path ({@code process.capabilities.bounding[1]}, {@code linux.resources.memory.limit},
 * {@code mounts[3] (tmpfs on /dev)}), with nothing of Java's own in it (no exception class
 * names, no {@code For input string}, no {@code Cannot invoke}).
 */
public final class ConfigErrors {

    /** A JSON path from one of config.json's top-level fields, followed by ":", " (", a quoted value or the end. */
    private static final Pattern FIELD = Pattern.compile("(^|[\\s;:\"(])(ociVersion|process|root|hostname|domainname"
            + "|mounts|hooks|annotations|linux)(\\.[A-Za-z_][A-Za-z0-9_]*|\\[\\d+]|\\[\"([^\"\\\\]|\\\\.)*\"])*"
            + "(:| \\(| \"|$)");

    /** Text that only Java's own messages and class names contain. */
    private static final List<String> JAVA_TEXT = List.of(
            "Exception",
            "java.",
            "jdk.",
            "tools.jackson",
            "dev.canal",
            "For input string",
            "Cannot invoke",
            "out of bounds for length",
            "because \"",
            "Error:");

    private ConfigErrors() {}

    /** Why {@code message} is not a good error about a config, or null when it is one. */
    public static String problem(String message) {
        if (message == null || message.isBlank()) {
            return "no message";
        }
        if (message.contains("\n") || message.contains("\r")) {
            return "more than one line";
        }
        if (message.indexOf('\0') >= 0) {
            return "a NUL character in the message";
        }
        for (String text : JAVA_TEXT) {
            if (message.contains(text)) {
                return "Java's own text \"" + text + "\"";
            }
        }
        if (!FIELD.matcher(message).find()) {
            return "no config field named";
        }
        return null;
    }
}
