package dev.canal.runtime.spawn;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Mounts;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.SyscallException;

/** What the running kernel can do that decides how Canal starts containers; probed once. */
public final class KernelFeatures {

    /**
     * Set to "false" to act as on a kernel without procfs {@code pidns}, so that path is tested
     * on every kernel (and to "true" to trust it without probing).
     */
    public static final String FORCE_PROCFS_PIDNS = "canal.kernel.procfsPidns";

    private static volatile Boolean procfsPidns;

    private KernelFeatures() {}

    /**
     * Whether procfs takes the {@code pidns} mount parameter (Linux 6.18): then a thread outside
     * a new pid namespace can mount that namespace's /proc, and the thread engine can serve
     * containers with one. Probed by configuring, never mounting, a procfs for our own pid
     * namespace; an older kernel rejects the unknown parameter with EINVAL.
     */
    public static boolean procfsPidns() {
        String forced = System.getProperty(FORCE_PROCFS_PIDNS);
        if (forced != null) {
            return Boolean.parseBoolean(forced);
        }
        Boolean known = procfsPidns;
        if (known == null) {
            known = probeProcfsPidns();
            procfsPidns = known;
        }
        return known;
    }

    private static boolean probeProcfsPidns() {
        try (var context = Mounts.fsopen("proc");
                var ownPidNamespace = OwnedFd.open("/proc/self/ns/pid", linux_h.O_RDONLY(), 0)) {
            Mounts.fsconfigFd(context, "pidns", ownPidNamespace);
            return true;
        } catch (SyscallException e) {
            if (e.errno() == linux_h.EINVAL() || e.errno() == linux_h.ENOSYS()) {
                return false;
            }
            throw e;
        }
    }
}
