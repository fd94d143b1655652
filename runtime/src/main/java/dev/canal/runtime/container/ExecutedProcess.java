package dev.canal.runtime.container;

import dev.canal.runtime.sys.OwnedFd;
import java.util.Optional;

/**
 * A process started in a running container by {@link Container#exec}: a child of the JVM that
 * started it, until that JVM exits and it passes to a subreaper (conmon, containerd's shim).
 *
 * @param pid      its pid, as the host sees it
 * @param terminal the master of its new pseudoterminal when {@code process.terminal} asked for
 *                 one, else null; the caller owns it
 */
public record ExecutedProcess(int pid, OwnedFd terminal) {

    public Optional<OwnedFd> terminalMaster() {
        return Optional.ofNullable(terminal);
    }
}
