package dev.canal.runtime.container;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Processes;
import dev.canal.runtime.sys.Signals;

/**
 * A test seam: the points of {@code create} at which it kills its own JVM with SIGKILL when the
 * system property {@value #PROPERTY} names one ({@code -Dcanal.test.crash-at=cgroup}, for
 * {@code bin/canal-oci} through {@code JDK_JAVA_OPTIONS}). That is how the tests make a create
 * die at a known point, as the OOM killer or a {@code kill -9} could at any point, and check that
 * {@code delete --force} removes everything it left. Unset, it costs one property lookup.
 */
enum CrashPoint {
    /** The state directory exists, locked; nothing else does. */
    STATE_DIRECTORY("state-directory"),
    /** The cgroup exists too, and is in the creation record. */
    CGROUP("cgroup"),
    /** The first process is held in its namespaces and cgroup; its rootfs is not set up. */
    PROCESS_HELD("process-held"),
    /** Everything is set up; state.json is not written. */
    STATE_FILE("state-file");

    static final String PROPERTY = "canal.test.crash-at";

    private final String point;

    CrashPoint(String point) {
        this.point = point;
    }

    /** Kills this JVM if the property names this point. */
    void reached() {
        if (point.equals(System.getProperty(PROPERTY))) {
            // kill(2) of the caller with SIGKILL: delivered before the call returns.
            Signals.kill(Processes.pid(), linux_h.SIGKILL());
        }
    }
}
