package dev.canal.runtime.ns;

import dev.canal.bindings.linux.linux_h;
import java.util.Arrays;
import java.util.Optional;

/**
 * The eight kinds of Linux namespace (namespaces(7)), with the name the OCI runtime-spec uses
 * ({@code config-linux.md#namespaces}), the {@code CLONE_NEW*} flag that creates one, and the
 * name of its file under {@code /proc/PID/ns/}, which setns(2) opens to join one.
 */
public enum NamespaceType {
    PID("pid", linux_h.CLONE_NEWPID(), "pid"),
    NETWORK("network", linux_h.CLONE_NEWNET(), "net"),
    MOUNT("mount", linux_h.CLONE_NEWNS(), "mnt"),
    IPC("ipc", linux_h.CLONE_NEWIPC(), "ipc"),
    UTS("uts", linux_h.CLONE_NEWUTS(), "uts"),
    USER("user", linux_h.CLONE_NEWUSER(), "user"),
    CGROUP("cgroup", linux_h.CLONE_NEWCGROUP(), "cgroup"),
    TIME("time", linux_h.CLONE_NEWTIME(), "time");

    private final String specName;
    private final int cloneFlag;
    private final String procName;

    NamespaceType(String specName, int cloneFlag, String procName) {
        this.specName = specName;
        this.cloneFlag = cloneFlag;
        this.procName = procName;
    }

    /** The runtime-spec's name: {@code "network"}, {@code "mount"}. */
    public String specName() {
        return specName;
    }

    /** The flag for clone(2), unshare(2) and setns(2). */
    public int cloneFlag() {
        return cloneFlag;
    }

    /** The file in {@code /proc/PID/ns/}: {@code "net"}, {@code "mnt"}. */
    public String procName() {
        return procName;
    }

    /** The type the runtime-spec calls {@code name}, if any. */
    public static Optional<NamespaceType> fromSpecName(String name) {
        return Arrays.stream(values())
                .filter(type -> type.specName.equals(name))
                .findFirst();
    }
}
