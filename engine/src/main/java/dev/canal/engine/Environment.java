package dev.canal.engine;

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
 * {@code --env-file} lines and {@code -e} options, each replacing a variable of the same name
 * where it stood. {@code -e NAME} without a value copies NAME from the caller's environment, or
 * drops it if unset (docker run(1), "--env").
 */
public final class Environment {

    /** The PATH docker gives a container whose image sets none (moby's oci/defaults). */
    public static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /** Name to its whole {@code NAME=value}, in the order names first appeared. */
    private final Map<String, String> variables = new LinkedHashMap<>();

    private Environment() {}

    public static Environment empty() {
        return new Environment();
    }

    /** What every container starts with before the image's variables. */
    public static Environment base(String hostname, boolean terminal) {
        Environment environment = new Environment();
        environment.set(DEFAULT_PATH);
        environment.set("HOSTNAME=" + hostname);
        if (terminal) {
            environment.set("TERM=xterm");
        }
        return environment;
    }

    /** Adds {@code NAME=value} strings, replacing variables of the same name. */
    public Environment with(List<String> assignments) {
        assignments.forEach(this::set);
        return this;
    }

    /**
     * Adds {@code -e} options ({@code option} names the flag in errors): {@code NAME=value}, or
     * {@code NAME} whose value is taken from {@code callers}.
     */
    public Environment withOptions(List<String> options, Map<String, String> callers, String option) {
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

    /**
     * The lines of an {@code --env-file}: {@code NAME=value} or {@code NAME}; blank lines and
     * {@code #} comments skipped, leading blanks removed.
     */
    public static List<String> readFile(Path file) {
        try {
            List<String> lines = new ArrayList<>();
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

    public boolean has(String name) {
        return variables.containsKey(name);
    }

    private void set(String assignment) {
        int equals = assignment.indexOf('=');
        variables.put(equals < 0 ? assignment : assignment.substring(0, equals), assignment);
    }

    public void set(String name, String value) {
        variables.put(name, name + "=" + value);
    }

    /** The variables as execve(2) takes them, {@code NAME=value}. */
    public List<String> toList() {
        return List.copyOf(variables.values());
    }
}
