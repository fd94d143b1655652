package dev.canal.cli.oci;

import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.StateLock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code delete}: remove a stopped or created container; a running one only with --force. */
@Command(name = "delete", description = "Delete a container and everything it left.")
final class DeleteCommand extends ContainerId implements Callable<Integer> {

    @Option(names = {"--force", "-f"}, description = "Kill the container first if it is running.")
    boolean force;

    @Override
    public Integer call() {
        Container container = container();
        try (StateLock lock = container.lock(StateLock.Mode.EXCLUSIVE)) {
            container.delete(force);
        }
        return 0;
    }
}
