package dev.canal.cli.oci;

import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.CreateOptions;
import dev.canal.runtime.container.StateLock;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options {@code create} and {@code run} share, as runc has them, and creating with them. */
final class CreationOptions {

    @Option(
            names = {"--bundle", "-b"},
            defaultValue = ".",
            description = "The bundle directory (default: the current one).")
    Path bundle;

    @Option(names = "--pid-file", description = "Write the container process's pid to this file.")
    Path pidFile;

    @Option(
            names = "--console-socket",
            description = "An AF_UNIX socket to send the terminal's master to (process.terminal).")
    Path consoleSocket;

    @Option(names = "--no-pivot", description = "Not supported: Canal always uses pivot_root.")
    boolean noPivot;

    @Option(names = "--preserve-fds", defaultValue = "0", description = "Not supported yet.")
    int preserveFds;

    /**
     * Creates container {@code id} and writes the pid file. What is not supported is refused
     * before anything is created; a pid file that cannot be written removes the container.
     */
    Container create(CanalOciCommand global, String id) throws IOException {
        if (noPivot) {
            throw new IllegalArgumentException("--no-pivot: Canal always uses pivot_root(2)");
        }
        if (preserveFds != 0) {
            throw new IllegalArgumentException("--preserve-fds: not supported yet");
        }
        Container container = global.containers().create(id, bundle, CreateOptions.defaults());
        try {
            if (consoleSocket != null) {
                ConsoleSocket.send(
                        consoleSocket,
                        container
                                .terminal()
                                .orElseThrow(
                                        () -> new IllegalArgumentException(
                                                "--console-socket: config.json does not ask for a terminal (process.terminal)")));
            }
            PidFile.write(pidFile, container.pid());
        } catch (IOException | RuntimeException e) {
            try (StateLock lock = container.lock(StateLock.Mode.EXCLUSIVE)) {
                container.delete(true);
            }
            throw e;
        }
        return container;
    }
}
