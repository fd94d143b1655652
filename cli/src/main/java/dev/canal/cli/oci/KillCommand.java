package dev.canal.cli.oci;

import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.StateLock;
import dev.canal.runtime.sys.Signals;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code kill}: send a signal (a name or number, default SIGTERM) to the container's process. */
@Command(name = "kill", description = "Send a signal to a container's process (default SIGTERM).")
final class KillCommand extends ContainerId implements Callable<Integer> {

    @Parameters(
            index = "1",
            defaultValue = "SIGTERM",
            paramLabel = "SIGNAL",
            description = "A name (TERM, SIGKILL) or a number.")
    String signal;

    @Option(
            names = {"--all", "-a"},
            description = "Signal every process of the container, not only the first.")
    boolean all;

    @Override
    public Integer call() {
        int number = Signals.parse(signal);
        Container container = container();
        // SIGKILL and SIGTERM, what engines send, go without the lock and without FFM's set-up
        // (Container.killWithoutLock); every other signal, and a container found stopped, as before.
        if (!all && container.killWithoutLock(number)) {
            return 0;
        }
        try (StateLock lock = container.lock(StateLock.Mode.SHARED)) {
            if (all) {
                container.killAll(number);
            } else {
                container.kill(number);
            }
        }
        return 0;
    }
}
