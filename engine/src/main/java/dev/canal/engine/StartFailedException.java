package dev.canal.engine;

import java.util.List;

public final class StartFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    StartFailedException(String message, int status, Throwable cause) {
        super(message, cause);
        this.status = status;
    }

    public int status() {
        return this.status;
    }

    static String dockerMessage(Exception e, int status, List<String> args) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        String program = args.isEmpty() ? "" : args.getFirst();

        return switch (status) {
            case 126 -> "failed to create task for container: exec: \"" + program + "\": permission denied: unknown";
            case 127 ->
                "failed to create task for container: exec: \""
                        + program
                        + "\": "
                        + (program.contains("/")
                                ? "stat " + program + ": no such file or directory"
                                : "executable file not found in $PATH")
                        + ": unknown";
            default -> message;
        };
    }
}
