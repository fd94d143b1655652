package dev.canal.runtime.container;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.Pseudoterminal;

/**
 * The terminal of an {@code exec --tty} process: a pair from the container's own devpts, so the
 * program sees it as /dev/pts/N. Everything under the container's root is the container's to
 * arrange, symlinks included, so the ptmx is looked up inside that root and through no symlink
 * (see {@link Pseudoterminal#openInRoot}), never by a host path through /proc/PID/root.
 */
final class ExecTerminal {

    private static final String PTMX = "/dev/pts/ptmx";

    private ExecTerminal() {}

    /** A new pair from the ptmx under the root of the container's first process {@code pid}. */
    static Pseudoterminal.Pair open(int pid) {
        // The magic link is followed here, from the runtime's own /proc: it is the container's root.
        try (var root = OwnedFd.open("/proc/" + pid + "/root", linux_h.O_PATH() | linux_h.O_DIRECTORY(), 0)) {
            return Pseudoterminal.openInRoot(root, PTMX);
        } catch (RuntimeException e) {
            throw new ContainerException("process.terminal: the container's " + PTMX + ": " + e.getMessage(), e);
        }
    }
}
