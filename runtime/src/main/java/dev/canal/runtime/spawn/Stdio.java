package dev.canal.runtime.spawn;

/**
 * The descriptors that become a container process's standard input, output and error. They
 * are the caller's (a terminal, pipes, files); the process gets copies and nothing else.
 */
public record Stdio(int in, int out, int err) {

    /** The JVM's own standard streams: what a foreground {@code canal run} passes through. */
    public static Stdio inherit() {
        return new Stdio(0, 1, 2);
    }
}
