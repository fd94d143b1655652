package dev.canal.cli.oci;

import dev.canal.runtime.container.Container;
import sun.misc.Signal;

/**
 * While {@code run} waits in the foreground, the signals a terminal or a supervisor sends to it
 * (Ctrl-C, a stop request) go to the container's process instead, as runc forwards them; the
 * container decides how to end, and its status is what {@code run} returns.
 */
final class SignalForwarding {

    private static final String[] FORWARDED = {"INT", "TERM", "HUP", "USR1", "USR2", "WINCH"};

    private SignalForwarding() {}

    static void toContainer(Container container) {
        for (String name : FORWARDED) {
            Signal.handle(new Signal(name), signal -> container.kill(signal.getNumber()));
        }
    }
}
