package dev.canal.cli.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A container's environment, merged as docker does: {@code PATH} (a default), {@code HOSTNAME}
 * and with a terminal {@code TERM=xterm} first; then the image's {@code Env}; then
 * {@code --env-file} lines and {@code -e} options, each replacing a variable of the same name.
 * {@code -e NAME} without a value copies NAME from canal's own environment, or drops it if unset.
 */
final class Environment {

    static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final Map<String, String> variables = new LinkedHashMap<>();

    private Environment() {}

    static Environment base(String hostname, boolean terminal) {
        var environment = new Environment();
        environment.set(DEFAULT_PATH);
        environment.set("HOSTNAME=" + hostname);
        if (terminal) {
            environment.set("TERM=xterm");
        }
        return environment;
    }

    /** Adds {@code NAME=value} strings, replacing variables of the same name. */
    Environment with(List<String> assignments) {
        assignments.forEach(this::set);
        return this;
    }

    /** Adds {@code -e} options: {@code NAME=value}, or {@code NAME} taken from {@code callers}. */
    Environment withOptions(List<String> options, Map<String, String> callers, String option) {
        for (String text : options) {
            int equals = text.indexOf('=');
            String name = equals < 0 ? text : text.substring(0, equals);
            if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(option + " " + text + ": not NAME=value");
            }
            if (equals >= 0) {
                set(text);
            } else if (callers.containsKey(name)) {
                set(name + "=" + callers.get(name));
            }
        }
        return this;
    }

    /** The lines of an {@code --env-file}: {@code NAME=value} or {@code NAME}; blank lines and {@code #} comments skipped. */
    static List<String> readFile(Path file) {
        try {
            var lines = new ArrayList<String>();
            for (String line : Files.readAllLines(file)) {
                String trimmed = line.stripLeading();
                if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                    lines.add(trimmed);
                }
            }
            return lines;
        } catch (IOException e) {
            throw new UncheckedIOException("--env-file " + file + ": cannot read it: " + e.getMessage(), e);
        }
    }

    boolean has(String name) {
        return variables.containsKey(name);
    }

    private void set(String assignment) {
        int equals = assignment.indexOf('=');
        variables.put(equals < 0 ? assignment : assignment.substring(0, equals), assignment);
    }

    void set(String name, String value) {
        variables.put(name, name + "=" + value);
    }

    List<String> toList() {
        return List.copyOf(variables.values());
    }
}
