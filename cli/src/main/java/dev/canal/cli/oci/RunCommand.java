package dev.canal.cli.oci;

import dev.canal.runtime.container.Container;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code run}: create and start; in the foreground also wait, remove the container and exit
 * with its status (128 + N for a process killed by signal N).
 */
@Command(name = "run", description = "Create and start a container, and wait for it unless --detach.")
final class RunCommand extends ContainerId implements Callable<Integer> {

    @Option(names = {"--bundle", "-b"}, defaultValue = ".", description = "The bundle directory (default: the current one).")
    Path bundle;

    @Option(names = {"--detach", "-d"}, description = "Return once the container has started.")
    boolean detach;

    @Option(names = "--pid-file", description = "Write the container process's pid to this file.")
    Path pidFile;

    @Option(names = "--console-socket", description = "Not supported yet: Canal has no terminals yet.")
    Path consoleSocket;

    @Option(names = "--no-pivot", description = "Not supported: Canal always uses pivot_root.")
    boolean noPivot;

    @Option(names = "--preserve-fds", defaultValue = "0", description = "Not supported yet.")
    int preserveFds;

    @Override
    public Integer call() throws IOException {
        Container container = CreateCommand.create(global, id, bundle, pidFile, consoleSocket, noPivot, preserveFds);
        try {
            PidFile.write(pidFile, container.pid());
            container.start();
        } catch (RuntimeException | IOException e) {
            container.delete(true);
            throw e;
        }
        if (detach) {
            return 0;
        }
        SignalForwarding.toContainer(container);
        int status = container.waitForExit();
        container.delete(true);
        return status;
    }
}
