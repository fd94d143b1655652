package dev.canal.cli.oci;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code state}: the runtime-spec's state JSON, with runc's rootfs, created and owner. */
@Command(name = "state", description = "Print the state of a container as JSON.")
final class StateCommand extends ContainerId implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println(StateJson.of(container().state()));
        return 0;
    }
}
