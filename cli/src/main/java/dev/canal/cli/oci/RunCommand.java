package dev.canal.cli.oci;

import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.StateLock;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code run}: create and start; in the foreground also wait, remove the container and exit
 * with its status (128 + N for a process killed by signal N).
 */
@Command(name = "run", description = "Create and start a container, and wait for it unless --detach.")
final class RunCommand extends ContainerId implements Callable<Integer> {

    @Mixin
    CreationOptions creation;

    @Option(
            names = {"--detach", "-d"},
            description = "Return once the container has started.")
    boolean detach;

    @Override
    public Integer call() throws IOException {
        Container container = creation.create(global, id);
        try (StateLock lock = container.lock(StateLock.Mode.EXCLUSIVE)) {
            try {
                container.start();
            } catch (RuntimeException e) {
                container.delete(true);
                throw e;
            }
        }
        if (detach) {
            return 0;
        }
        SignalForwarding.toContainer(container);
        int status = container.waitForExit();
        try (StateLock lock = container.lock(StateLock.Mode.EXCLUSIVE)) {
            container.delete(true);
        }
        return status;
    }
}
