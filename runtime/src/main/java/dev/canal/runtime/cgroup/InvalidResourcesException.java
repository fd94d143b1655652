package dev.canal.runtime.cgroup;

/**
 * A {@code linux.resources} value Canal refuses before creating anything. The message is one
 * line that starts with the JSON path of the field:
 * {@code linux.resources.memory.swap: 16777216 is less than linux.resources.memory.limit 33554432}.
 */
public final class InvalidResourcesException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidResourcesException(String field, String problem) {
        super("linux.resources." + field + ": " + problem);
    }
}
