package dev.canal.cli.run;

import dev.canal.engine.Engine;
import sun.misc.Signal;

/**
 * docker run's --sig-proxy, always on: the signals a terminal or a supervisor sends canal while
 * it waits (Ctrl-C without -t, a stop request) go to the container's first process, which
 * decides how to end; its status is what canal returns. SIGWINCH is the terminal's business
 * ({@link TerminalSession}).
 */
final class SignalForwarding {

    private static final String[] FORWARDED = {"INT", "TERM", "HUP", "USR1", "USR2"};

    private SignalForwarding() {}

    static void toContainer(Engine engine, String id) {
        for (String name : FORWARDED) {
            Signal.handle(new Signal(name), signal -> {
                try {
                    engine.kill(id, Integer.toString(signal.getNumber()));
                } catch (RuntimeException notRunning) {
                    // Not started yet, or ended meanwhile: its status is on its way.
                }
            });
        }
    }
}
