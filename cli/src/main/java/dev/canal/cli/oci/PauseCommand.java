package dev.canal.cli.oci;

import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.StateLock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code pause}: freeze every process of a running container (its cgroup's freezer). */
@Command(name = "pause", description = "Freeze every process of a running container.")
final class PauseCommand extends ContainerId implements Callable<Integer> {

    @Override
    public Integer call() {
        Container container = container();
        try (StateLock lock = container.lock(StateLock.Mode.EXCLUSIVE)) {
            container.pause();
        }
        return 0;
    }
}
