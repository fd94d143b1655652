package dev.canal.cli.oci;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code start}: let a created container's process run its program. */
@Command(name = "start", description = "Start a created container.")
final class StartCommand extends ContainerId implements Callable<Integer> {

    @Override
    public Integer call() {
        container().start();
        return 0;
    }
}
