package dev.canal.runtime.container;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.cgroup.Cgroup;
import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.cgroup.Cgroups;
import dev.canal.runtime.sys.Backoff;
import dev.canal.runtime.sys.Signals;
import dev.canal.runtime.sys.SyscallException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Removing what a {@code create} left when it died before it finished: a state directory
 * without {@code state.json}, and whatever its {@link CreationRecord} names, the held first
 * process and the cgroup (with anything else in it). runc's {@code delete} removes such a
 * directory too (delete.go: "an aborted start or something of the sort").
 */
final class UnfinishedCreation {

    private UnfinishedCreation() {}

    /**
     * Removes the unfinished creation of container {@code id} in {@code stateDirectory}; waits
     * first for a create still at work there. Returns false, removing nothing, when there is no
     * such directory or it holds a container that was created.
     */
    static boolean remove(Path stateDirectory, String id) {
        if (!Files.isDirectory(stateDirectory) || Files.exists(stateDirectory.resolve(StoredState.FILE))) {
            return false;
        }
        StateLock lock;
        try {
            lock = StateLock.acquire(stateDirectory, id, null, StateLock.Mode.EXCLUSIVE);
        } catch (ContainerException gone) {
            return false; // removed meanwhile, by a create that failed or another delete
        }
        try (lock) {
            if (Files.exists(stateDirectory.resolve(StoredState.FILE))) {
                return false; // the create we waited for finished
            }
            CreationRecord.Made made = CreationRecord.read(stateDirectory);
            if (made.pid() > 0) {
                killIfStillThere(made.pid(), made.pidStartTime());
            }
            if (made.cgroupPath() != null) {
                Cgroup cgroup = Cgroups.open(CgroupLayout.detect(), made.cgroupPath());
                cgroup.killAll(linux_h.SIGKILL());
                cgroup.destroy();
            }
            StateDirectories.remove(stateDirectory);
            return true;
        }
    }

    /**
     * Kills the held process if the pid still names it, and waits until it is gone: it is not
     * this JVM's child (its creator is dead), so its parent now, init or a subreaper, reaps it.
     */
    private static void killIfStillThere(int pid, long startTime) {
        if (ProcessIdentity.startTime(pid) != startTime) {
            return;
        }
        try {
            Signals.kill(pid, linux_h.SIGKILL());
        } catch (SyscallException e) {
            if (e.errno() != linux_h.ESRCH()) {
                throw e;
            }
        }
        var backoff = new Backoff();
        while (ProcessIdentity.startTime(pid) == startTime) {
            backoff.pause();
        }
    }
}
