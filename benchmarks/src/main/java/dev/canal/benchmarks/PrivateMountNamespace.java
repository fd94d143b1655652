package dev.canal.benchmarks;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Mounts;
import dev.canal.runtime.sys.Namespaces;

/**
 * Moves the calling thread into a mount namespace of its own whose mounts are all private
 * (mount_namespaces(7)), so what a benchmark mounts never appears on the host, and vanishes
 * with the namespace when the benchmark's JVM exits, even if it dies between a mount and its
 * unmount. unshare(2) needs CLONE_FS with CLONE_NEWNS in a multithreaded process.
 */
final class PrivateMountNamespace {

    private static final ThreadLocal<Boolean> ENTERED = ThreadLocal.withInitial(() -> false);

    private PrivateMountNamespace() {}

    /** Enters one on the first call from a thread; later calls from that thread do nothing. */
    static void enter() {
        if (ENTERED.get()) {
            return;
        }
        Namespaces.unshare(linux_h.CLONE_FS() | linux_h.CLONE_NEWNS());
        Mounts.mount(null, "/", null, linux_h.MS_REC() | linux_h.MS_PRIVATE(), null);
        ENTERED.set(true);
    }
}
