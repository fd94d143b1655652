package dev.canal.runtime.spawn;

/**
 * The descriptors that become a container process's standard input, output and error. They
 * are the caller's (a terminal, pipes, files); the process gets copies and nothing else.
 *
 * @param controllingTerminal the three are one terminal's peer, which the process (a session
 *                            leader) takes as its controlling terminal: {@code exec --tty}
 */
public record Stdio(int in, int out, int err, boolean controllingTerminal) {

    /** Three streams, none of them the controlling terminal. */
    public Stdio(int in, int out, int err) {
        this(in, out, err, false);
    }

    /** The JVM's own standard streams: what a foreground {@code canal run} passes through. */
    public static Stdio inherit() {
        return new Stdio(0, 1, 2);
    }

    /** A terminal's peer as all three streams and as the controlling terminal. */
    public static Stdio terminal(int peer) {
        return new Stdio(peer, peer, peer, true);
    }
}
