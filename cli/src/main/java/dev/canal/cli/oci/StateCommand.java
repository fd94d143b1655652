package dev.canal.cli.oci;

import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.StateLock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code state}: the runtime-spec's state JSON, with runc's rootfs, created and owner. */
@Command(name = "state", description = "Print the state of a container as JSON.")
final class StateCommand extends ContainerId implements Callable<Integer> {

    @Override
    public Integer call() {
        Container container = container();
        try (StateLock lock = container.lock(StateLock.Mode.SHARED)) {
            System.out.println(StateJson.of(container.state()));
        }
        return 0;
    }
}
