package dev.canal.runtime.spawn;

/**
 * The descriptors that become a container process's standard input, output and error. They
 * are the caller's (a terminal, pipes, files); the process gets copies and nothing else.
 *
 * @param terminalPath null, or the path inside the container of the terminal whose peer the
 *                     three are, which the process (a session leader) takes as its
 *                     controlling terminal: {@code exec --tty}
 */
public record Stdio(int in, int out, int err, String terminalPath) {

    /** Three streams, none of them the controlling terminal. */
    public Stdio(int in, int out, int err) {
        this(in, out, err, null);
    }

    /** Whether the streams are a terminal the process takes as its controlling terminal. */
    public boolean controllingTerminal() {
        return terminalPath != null;
    }

    /** The JVM's own standard streams: what a foreground {@code canal run} passes through. */
    public static Stdio inherit() {
        return new Stdio(0, 1, 2);
    }

    /**
     * A terminal's peer as all three streams and as the controlling terminal; {@code path} is
     * where the container sees it ({@code /dev/pts/N}).
     */
    public static Stdio terminal(int peer, String path) {
        return new Stdio(peer, peer, peer, path);
    }
}
