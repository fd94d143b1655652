package dev.canal.cli.oci;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code resume}: thaw a paused container. */
@Command(name = "resume", description = "Thaw a paused container.")
final class ResumeCommand extends ContainerId implements Callable<Integer> {

    @Override
    public Integer call() {
        container().resume();
        return 0;
    }
}
