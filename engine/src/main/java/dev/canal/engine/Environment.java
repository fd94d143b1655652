package dev.canal.engine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

public final class Environment {
    public static final String DEFAULT_PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private final Map<String, String> variables = new LinkedHashMap<>();

    private Environment() {}

    public static Environment empty() {
        return new Environment();
    }

    public static Environment base(String hostname, boolean terminal) {
        Environment environment = new Environment();
        environment.set("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        environment.set("HOSTNAME=" + hostname);
        if (terminal) {
            environment.set("TERM=xterm");
        }

        return environment;
    }

    public Environment with(List<String> assignments) {
        assignments.forEach(this::set);
        return this;
    }

    public Environment withOptions(List<String> options, Map<String, String> callers, String option) {
        for (String text : options) {
            int equals = text.indexOf('=');
            String name = equals < 0 ? text : text.substring(0, equals);
            if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(option + " " + text + ": not NAME=value");
            }

            if (equals >= 0) {
                this.set(text);
            } else if (callers.containsKey(name)) {
                this.set(name + "=" + callers.get(name));
            }
        }

        return this;
    }

    public static List<String> readFile(Path file) {
        try {
            ArrayList<String> lines = new ArrayList<>();

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
        return this.variables.containsKey(name);
    }

    private void set(String assignment) {
        int equals = assignment.indexOf('=');
        this.variables.put(equals < 0 ? assignment : assignment.substring(0, equals), assignment);
    }

    public void set(String name, String value) {
        this.variables.put(name, name + "=" + value);
    }

    public List<String> toList() {
        return List.copyOf(this.variables.values());
    }
}
