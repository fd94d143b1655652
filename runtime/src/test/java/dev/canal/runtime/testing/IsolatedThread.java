package dev.canal.runtime.testing;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Mounts;
import dev.canal.runtime.sys.Namespaces;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs a task on a fresh platform thread that first unshares its filesystem context and the
 * given namespaces. The thread's namespaces die with it, so what the task mounts never reaches
 * the host, and nothing needs unmounting afterwards.
 */
public final class IsolatedThread {

    private IsolatedThread() {}

    /**
     * Runs {@code task} in a new mount namespace whose mounts are all private: without that,
     * mounts made inside would propagate back to the host's shared mounts.
     */
    public static <T> T inPrivateMountNamespace(Callable<T> task) throws Exception {
        return run(linux_h.CLONE_NEWNS(), () -> {
            Mounts.mount(null, "/", null, linux_h.MS_REC() | linux_h.MS_PRIVATE(), null);
            return task.call();
        });
    }

    /** Runs {@code task} after unshare(CLONE_FS | {@code namespaces}) on its own thread. */
    public static <T> T run(int namespaces, Callable<T> task) throws Exception {
        var result = new AtomicReference<T>();
        var failure = new AtomicReference<Throwable>();
        Thread thread = Thread.ofPlatform().name("canal-isolated").start(() -> {
            try {
                Namespaces.unshare(linux_h.CLONE_FS() | namespaces);
                result.set(task.call());
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        thread.join();
        if (failure.get() instanceof Exception e) {
            throw e;
        }
        if (failure.get() instanceof Error e) {
            throw e;
        }
        return result.get();
    }
}
