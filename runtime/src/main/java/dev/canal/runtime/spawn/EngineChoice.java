package dev.canal.runtime.spawn;

import dev.canal.runtime.ns.NamespaceType;

/**
 * Which engine creates a container's process. {@link #AUTO} takes the thread engine wherever it
 * can serve (no user namespace, no seccomp filter but one that allows
 * what the spawning thread does after loading it; a new pid namespace only where the kernel can
 * mount its /proc from outside) and the clone engine otherwise; the others force one, for tests
 * and benchmarks.
 */
public enum EngineChoice {
    AUTO,
    THREAD,
    CLONE;

    /** The engine for a container with these namespaces and this process. */
    public SpawnEngine engineFor(NamespacePlan namespaces, ProcessPlan process) {
        // A new cgroup namespace is made by the JVM and joined (ns/CgroupNamespaceRoot).
        boolean threadCanServe = !namespaces.hasUserNamespace()
                && process.privileges().filterFitsSpawningThread()
                && (!namespaces.creates(NamespaceType.PID) || KernelFeatures.procfsPidns());
        return switch (this) {
            case THREAD -> new ThreadEngine();
            case CLONE -> new CloneEngine();
            case AUTO -> threadCanServe ? new ThreadEngine() : new CloneEngine();
        };
    }
}
