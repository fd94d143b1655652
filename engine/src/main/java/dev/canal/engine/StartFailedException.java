package dev.canal.engine;

import java.util.List;

/**
 * A container that could not start, with the exit status {@code docker run} gives for it
 * ({@link ExitStatus}) and the message dockerd gives, so scripts that parse either keep working.
 */
public final class StartFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    StartFailedException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    /** 125, 126 or 127, as {@link ExitStatus#ofFailure} chose. */
    public int status() {
        return status;
    }

    /**
     * The message dockerd (through containerd and runc) gives for a program that cannot be run:
     * "permission denied" for 126, and for 127 "executable file not found in $PATH" when the
     * name was looked up in PATH or "no such file or directory" when it was a path. Any other
     * failure keeps its own message.
     */
    static String dockerMessage(Exception e, int status, List<String> args) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        String program = args.isEmpty() ? "" : args.getFirst();
        return switch (status) {
            case ExitStatus.CANNOT_INVOKE ->
                "failed to create task for container: exec: \"" + program + "\": permission denied: unknown";
            case ExitStatus.NOT_FOUND ->
                "failed to create task for container: exec: \"" + program + "\": "
                        + (program.contains("/")
                                ? "stat " + program + ": no such file or directory"
                                : "executable file not found in $PATH")
                        + ": unknown";
            default -> message;
        };
    }
}
