package dev.canal.runtime.container;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.ns.NamespaceType;
import dev.canal.runtime.oci.Quoted;
import dev.canal.runtime.oci.Spec;
import dev.canal.runtime.rootfs.RootfsBuilder;
import dev.canal.runtime.rootfs.RootfsPlan;
import dev.canal.runtime.spawn.NamespacePlan;
import dev.canal.runtime.sys.Namespaces;
import dev.canal.runtime.sys.NetworkInterfaces;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.PathAt;
import dev.canal.runtime.sys.SyscallException;
import dev.canal.runtime.sys.ThrowawayThread;
import dev.canal.runtime.sys.UtsNames;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Everything done inside a container's namespaces while its first process is held: the root
 * filesystem, the host and domain names, sysctls, the loopback interface, and the process's
 * resource limits and OOM score.
 *
 * <p>It runs on a throwaway platform thread that joins the held process's namespaces with
 * setns(2): whichever engine created the process, its namespaces are then set up the same way.
 * A setns into a mount namespace changes the thread's root and working directory, which is why
 * the thread first unshares CLONE_FS, and why it is never a thread that does anything else.
 */
final class NamespaceSetup {

    /** The namespaces the setup thread joins, in this order: mount last, it changes the root. */
    private static final NamespaceType[] JOINED = {
        NamespaceType.UTS, NamespaceType.IPC, NamespaceType.NETWORK, NamespaceType.CGROUP, NamespaceType.MOUNT,
    };

    private NamespaceSetup() {}

    /**
     * Sets the container up; returns the master of its terminal, or null when it has none.
     * {@code beforePivotRoot} runs on the calling thread, in the runtime's namespaces, while the
     * setup thread waits with the spec's mounts in place and pivot_root still to come.
     */
    static OwnedFd run(
            int pid,
            Spec spec,
            NamespacePlan namespaces,
            RootfsPlan rootfs,
            boolean procMounted,
            Runnable beforePivotRoot) {
        OwnedFd terminal = ThrowawayThread.callPausing(
                "canal-setup",
                "setting up the container",
                pause -> setUp(pid, spec, namespaces, rootfs, procMounted, pause),
                beforePivotRoot);
        try {
            if (spec.process() != null) {
                ProcessLimits.apply(pid, spec.process());
            }
            return terminal;
        } catch (RuntimeException e) {
            if (terminal != null) {
                terminal.close();
            }
            throw e;
        }
    }

    private static OwnedFd setUp(
            int pid,
            Spec spec,
            NamespacePlan namespaces,
            RootfsPlan rootfs,
            boolean procMounted,
            Runnable afterMounts) {
        // Opened from the host's /proc before the thread's root moves into the container.
        try (var procSys = OwnedFd.open("/proc/sys", linux_h.O_PATH() | linux_h.O_DIRECTORY(), 0);
                var pidNamespace = OwnedFd.open("/proc/" + pid + "/ns/pid", linux_h.O_RDONLY(), 0)) {
            Namespaces.unshare(linux_h.CLONE_FS());
            for (NamespaceType type : JOINED) {
                try (var namespace = OwnedFd.open("/proc/" + pid + "/ns/" + type.procName(), linux_h.O_RDONLY(), 0)) {
                    Namespaces.setns(namespace, type.cloneFlag());
                }
            }
            if (namespaces.creates(NamespaceType.NETWORK)) {
                NetworkInterfaces.up("lo");
            }
            if (spec.hostname() != null) {
                UtsNames.setHostname(spec.hostname());
            }
            if (spec.domainname() != null) {
                UtsNames.setDomainname(spec.domainname());
            }
            if (spec.linux() != null) {
                writeSysctls(procSys, spec.linux().sysctl());
            }
            if (!namespaces.has(NamespaceType.MOUNT)) {
                // Nothing to build: the engine chroot'ed the process into the rootfs, and no
                // mount is made in a mount namespace that is the caller's (SpecValidator).
                afterMounts.run();
                return null;
            }
            return new RootfsBuilder(
                            rootfs,
                            namespaces.creates(NamespaceType.PID) ? pidNamespace : null,
                            procMounted,
                            afterMounts)
                    .build();
        }
    }

    /**
     * sysctl(8) names with dots are paths under /proc/sys. Network and IPC sysctls are per
     * namespace, and the kernel picks the namespace of the thread that opens the file: this
     * thread, which has joined the container's.
     */
    private static void writeSysctls(OwnedFd procSys, Map<String, String> sysctls) {
        sysctls.forEach((key, value) -> {
            try (var file =
                    PathAt.openat2(procSys, key.replace('.', '/'), linux_h.O_WRONLY(), linux_h.RESOLVE_BENEATH())) {
                file.writeFully(value.getBytes(StandardCharsets.UTF_8));
            } catch (SyscallException e) {
                // No such sysctl (ENOENT), or a value it does not take (EINVAL).
                throw new ContainerException("linux.sysctl[" + Quoted.of(key) + "]: " + e.getMessage(), e);
            }
        });
    }
}
