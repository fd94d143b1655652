package dev.canal.runtime.cgroup;

import dev.canal.runtime.oci.Resources;
import java.time.Duration;
import java.util.List;

/**
 * One container's cgroup, on whichever hierarchy the machine uses: a directory per v1
 * controller, or one directory in the v2 tree. Obtained from {@link Cgroups#create} or, in a
 * later process, {@link Cgroups#open}.
 */
public interface Cgroup {

    /** The absolute cgroup path ("/canal/abc"), to record in the container's state. */
    String path();

    /** Moves process {@code pid} (all its threads) into the cgroup: a write to cgroup.procs. */
    void addProcess(int pid);

    /** Applies the fields that are set in {@code resources}; unset fields keep their value. */
    void update(Resources resources);

    /** Usage counters in the shape of runc's {@code events --stats}. */
    CgroupStats stats();

    /** How many processes the kernel's OOM killer has killed in this cgroup since it was created. */
    long oomKillCount();

    /**
     * Waits until {@link #oomKillCount()} exceeds {@code seen} or {@code timeout} passes; returns
     * whether it did. The counter is polled: it is the one OOM record both versions keep.
     */
    default boolean awaitOomKill(long seen, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (oomKillCount() <= seen) {
            if (System.nanoTime() - deadline >= 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    /** Stops every process in the cgroup, returning once the kernel reports them all frozen. */
    void freeze();

    /** Lets frozen processes run again. */
    void thaw();

    /** Whether the cgroup is frozen. */
    boolean isFrozen();

    /**
     * Sends {@code signal} to every process in the cgroup, including ones forked meanwhile. With
     * SIGKILL, returns once the cgroup is empty.
     */
    void killAll(int signal);

    /** The processes in the cgroup. */
    List<Integer> pids();

    /** Removes the cgroup's directories; its processes must be gone. Absent directories are fine. */
    void destroy();

    /**
     * What /proc/self/cgroup shows for a process in this cgroup without a cgroup namespace, one
     * "hierarchy-id:controllers:path" line per hierarchy (cgroups(7)).
     */
    String procSelfCgroup();
}
