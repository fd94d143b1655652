package dev.canal.runtime.spawn;

import dev.canal.runtime.rootfs.RootfsPlan;
import java.util.function.IntConsumer;

/**
 * Creates a container's process in its namespaces, held before execve(2) on an
 * {@link ExecFifo}. Two engines, because a JVM cannot do everything
 * one way (docs/spawning-from-a-jvm.md):
 *
 * <ul>
 *   <li>{@link ThreadEngine}: a throwaway thread unshares the namespaces and calls
 *       posix_spawn(3). No Java runs in any child. It cannot create a user namespace.
 *   <li>the clone engine: clone(2) from Java, with a child path that runs no Java that could
 *       block. Needed for user namespaces.
 * </ul>
 *
 * What happens in the namespaces afterwards (mounts, pivot_root, hostname) is the same for both
 * and done by the caller from another thread while the process is held.
 */
public interface SpawnEngine {

    /** A short name for messages and for choosing an engine: "thread", "clone". */
    String name();

    /**
     * Creates the held process; throws with the reason if it could not. {@code rootfs} is the
     * container's for its first process and null for one that joins a running container
     * ({@code exec}, hooks); an engine reads it where the process must mount its own /proc
     * (see {@link SpawnedProcess#mountedProc}) or, without a mount namespace, chroot(2) into it.
     * {@code joinCgroup} moves a pid into the container's cgroup; the engine calls it before
     * the process runs anything of the container's and before it makes its cgroup namespace,
     * whose root is the cgroup the process is in at that moment (cgroup_namespaces(7)).
     */
    SpawnedProcess spawn(
            NamespacePlan namespaces, ProcessPlan process, RootfsPlan rootfs, ExecFifo fifo, IntConsumer joinCgroup);
}
