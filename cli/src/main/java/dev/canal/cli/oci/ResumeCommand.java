package dev.canal.cli.oci;

import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.StateLock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code resume}: thaw a paused container. */
@Command(name = "resume", description = "Thaw a paused container.")
final class ResumeCommand extends ContainerId implements Callable<Integer> {

    @Override
    public Integer call() {
        Container container = container();
        try (StateLock lock = container.lock(StateLock.Mode.EXCLUSIVE)) {
            container.resume();
        }
        return 0;
    }
}
