package dev.canal.cli.oci;

import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.CreateOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code create}: set the container up and hold its process before exec, then exit. The
 * process keeps this command's standard streams, which is how podman's conmon and containerd's
 * shim collect a container's output.
 */
@Command(name = "create", description = "Create a container; its process waits for start.")
final class CreateCommand extends ContainerId implements Callable<Integer> {

    @Option(names = {"--bundle", "-b"}, defaultValue = ".", description = "The bundle directory (default: the current one).")
    Path bundle;

    @Option(names = "--pid-file", description = "Write the container process's pid to this file.")
    Path pidFile;

    @Option(names = "--console-socket", description = "Not supported yet: Canal has no terminals yet.")
    Path consoleSocket;

    @Option(names = "--no-pivot", description = "Not supported: Canal always uses pivot_root.")
    boolean noPivot;

    @Option(names = "--no-new-keyring", description = "Accepted: Canal creates no session keyring.")
    boolean noNewKeyring;

    @Option(names = "--preserve-fds", defaultValue = "0", description = "Not supported yet.")
    int preserveFds;

    @Override
    public Integer call() throws IOException {
        Container container = create(global, id, bundle, pidFile, consoleSocket, noPivot, preserveFds);
        PidFile.write(pidFile, container.pid());
        return 0;
    }

    /** Shared with {@code run}: refuse what is not supported before anything is created. */
    static Container create(CanalOciCommand global, String id, Path bundle, Path pidFile, Path consoleSocket,
            boolean noPivot, int preserveFds) {
        if (consoleSocket != null) {
            throw new IllegalArgumentException("--console-socket: terminals are not supported yet");
        }
        if (noPivot) {
            throw new IllegalArgumentException("--no-pivot: Canal always uses pivot_root(2)");
        }
        if (preserveFds != 0) {
            throw new IllegalArgumentException("--preserve-fds: not supported yet");
        }
        return global.containers().create(id, bundle, CreateOptions.defaults());
    }
}
