package dev.canal.cli.oci;

import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.StateLock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code start}: let a created container's process run its program. */
@Command(name = "start", description = "Start a created container.")
final class StartCommand extends ContainerId implements Callable<Integer> {

    @Override
    public Integer call() {
        Container container = container();
        try (StateLock lock = container.lock(StateLock.Mode.EXCLUSIVE)) {
            container.start();
        }
        return 0;
    }
}
