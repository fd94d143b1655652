package dev.canal.cli.oci;

import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.Containers;
import dev.canal.runtime.container.StateLock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code delete}: remove a stopped or created container; a running one only with --force. */
@Command(name = "delete", description = "Delete a container and everything it left.")
final class DeleteCommand extends ContainerId implements Callable<Integer> {

    @Option(
            names = {"--force", "-f"},
            description = "Kill the container first if it is running.")
    boolean force;

    @Override
    public Integer call() {
        Containers containers = global.containers();
        // What a create that died before it finished left (its held process, its cgroup, its state
        // directory) is removed, with --force or without, as runc's delete does.
        containers.removeUnfinished(id);
        if (force && !containers.exists(id)) {
            // As runc (delete.go): forcing the delete of a container that is not there succeeds.
            // containerd's shim does that when it cleans up after a container it already deleted.
            return 0;
        }
        Container container = container();
        try (StateLock lock = container.lock(StateLock.Mode.EXCLUSIVE)) {
            container.delete(force);
        }
        return 0;
    }
}
