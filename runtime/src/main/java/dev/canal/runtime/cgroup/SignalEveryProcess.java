package dev.canal.runtime.cgroup;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Signals;
import dev.canal.runtime.sys.SyscallException;
import java.util.List;

/**
 * Signalling every process of a cgroup where the kernel cannot do it in one write (v1, and v2
 * before Linux 5.14's cgroup.kill). Between reading cgroup.procs and calling kill(2) a process
 * could fork a child nobody signals, so the cgroup is frozen around the round, as runc's
 * signalAllProcesses does; with SIGKILL the rounds repeat until cgroup.procs is empty.
 */
public final class SignalEveryProcess {

    private static final int ROUNDS = 500;

    private SignalEveryProcess() {}

    public static void signal(Cgroup cgroup, int signal) {
        for (int round = 0; round < ROUNDS; round++) {
            List<Integer> pids = cgroup.pids();
            if (pids.isEmpty() || (round > 0 && signal != linux_h.SIGKILL())) {
                return;
            }
            // A paused container stays paused for other signals; SIGKILL needs it thawed, as a
            // task frozen by the v1 freezer only dies once it runs again.
            boolean wasFrozen = cgroup.isFrozen();
            if (!wasFrozen) {
                cgroup.freeze();
            }
            try {
                for (int pid : cgroup.pids()) {
                    sendIgnoringGone(pid, signal);
                }
            } finally {
                if (!wasFrozen || signal == linux_h.SIGKILL()) {
                    cgroup.thaw();
                }
            }
            if (signal == linux_h.SIGKILL()) {
                sleepBriefly();
            }
        }
        throw new CgroupException("cgroup " + cgroup.path() + " still has processes " + cgroup.pids() + " after "
                + ROUNDS + " rounds of SIGKILL");
    }

    private static void sendIgnoringGone(int pid, int signal) {
        try {
            Signals.kill(pid, signal);
        } catch (SyscallException e) {
            if (e.errno() != linux_h.ESRCH()) {
                throw e;
            }
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CgroupException("interrupted while killing the processes of a cgroup", e);
        }
    }
}
