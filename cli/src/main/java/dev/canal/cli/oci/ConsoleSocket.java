package dev.canal.cli.oci;

import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.UnixSockets;
import java.nio.file.Path;

/**
 * {@code --console-socket}: the caller (conmon, containerd's shim) listens on an AF_UNIX socket
 * and receives the master of the container's pseudoterminal there, as runc sends it: one
 * message whose SCM_RIGHTS ancillary data is the descriptor. It then relays the terminal
 * itself; this process keeps no copy.
 */
final class ConsoleSocket {

    private ConsoleSocket() {}

    static void send(Path socket, OwnedFd master) {
        try (master) {
            UnixSockets.sendDescriptor(socket.toString(), master, "/dev/ptmx");
        }
    }
}
