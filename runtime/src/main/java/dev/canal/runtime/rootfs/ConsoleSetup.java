package dev.canal.runtime.rootfs;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Mounts;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.PathAt;
import dev.canal.runtime.sys.Pseudoterminal;

/**
 * {@code process.terminal}: a pseudoterminal from the container's own devpts instance, its peer
 * bind-mounted on the container's /dev/console (as runc does), where the process opens it as its
 * controlling terminal once started. The master goes to the caller.
 *
 * <p>The pair comes from the container's /dev/pts/ptmx, not the host's, so inside the container
 * the terminal is /dev/pts/0 of its own instance and nothing of the host's ptys shows; the
 * process opens it by that path (the plan's {@link RootfsPlan.Console#path}), as runc's init
 * does. The peer is handed to the process's user, who opens it only after taking that identity.
 */
final class ConsoleSetup {

    private ConsoleSetup() {}

    static OwnedFd attach(RootDirectory root, RootfsPlan.Console console) {
        Pseudoterminal.Pair pair;
        try (var ptmx = root.resolve("/dev/pts/ptmx")) {
            pair = Pseudoterminal.open(RootDirectory.procPath(ptmx));
        }
        try (var peer = pair.peer()) {
            String peerPath = "/dev/pts/" + Pseudoterminal.peerNumber(pair.master());
            if (console.path().startsWith("/dev/pts/") && !console.path().equals(peerPath)) {
                throw new RootfsException(
                        "process.terminal",
                        new IllegalStateException("the terminal is " + peerPath + ", not " + console.path()
                                + ": the container's devpts already had a terminal"));
            }
            if (console.rows() > 0 && console.columns() > 0) {
                Pseudoterminal.setWindowSize(pair.master(), console.rows(), console.columns());
            }
            PathAt.chown(peer, console.hostUid(), console.hostGid());
            if (!root.exists("/dev/console")) {
                root.makeFile("/dev/console");
            }
            try (var target = root.resolve("/dev/console")) {
                Mounts.mount(
                        RootDirectory.procPath(peer), RootDirectory.procPath(target), null, linux_h.MS_BIND(), null);
            }
            return pair.master();
        } catch (RuntimeException e) {
            pair.master().close();
            throw e;
        }
    }
}
