package dev.canal.engine.build;

/**
 * A Dockerfile that cannot be parsed or an instruction whose words cannot be expanded, with the
 * line it starts on. The message is docker's: {@code dockerfile parse error on line 3: unknown
 * instruction: FOO}.
 */
public final class DockerfileException extends IllegalArgumentException {

    private final int line;
    private final String reason;

    public DockerfileException(int line, String reason) {
        super("dockerfile parse error on line " + line + ": " + reason);
        this.line = line;
        this.reason = reason;
    }

    /** The 1-based line of the instruction (or the line) at fault. */
    public int line() {
        return line;
    }

    /** The message without the line: {@code unknown instruction: FOO}. */
    public String reason() {
        return reason;
    }
}
