package dev.canal.runtime.net;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Namespaces;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.ThrowawayThread;
import java.util.function.Supplier;

/**
 * A network namespace held open by a descriptor of its {@code /proc/PID/ns/net} file (or of a
 * bind mount of one): the namespace lives at least as long as this object, even if every
 * process in it exits.
 *
 * <p>Work inside the namespace happens on a throwaway thread that setns(2)es into it, so no
 * thread of the caller ever changes namespace. Sockets it opens stay in the namespace.
 */
public final class NetworkNamespace implements AutoCloseable {

    private final OwnedFd fd;
    private final String description;

    private NetworkNamespace(OwnedFd fd, String description) {
        this.fd = fd;
        this.description = description;
    }

    /** The network namespace of process {@code pid} (a container's first process). */
    public static NetworkNamespace ofPid(long pid) {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid: must be positive, got " + pid);
        }
        return ofPath("/proc/" + pid + "/ns/net");
    }

    /** The network namespace at {@code path}: a {@code /proc/PID/ns/net} file or a bind mount of one. */
    public static NetworkNamespace ofPath(String path) {
        return new NetworkNamespace(OwnedFd.open(path, linux_h.O_RDONLY(), 0), path);
    }

    /** The calling thread's network namespace. */
    public static NetworkNamespace current() {
        return ofPath("/proc/thread-self/ns/net");
    }

    /** The open namespace file, for IFLA_NET_NS_FD. */
    OwnedFd fd() {
        return fd;
    }

    /** Opens a netlink socket of {@code protocol} that talks to this namespace. */
    public NetlinkSocket openSocket(int protocol) {
        return call(() -> NetlinkSocket.open(protocol));
    }

    /** Runs {@code task} on a thread inside this namespace and returns its result. */
    public <T> T call(Supplier<T> task) {
        return start(task).join();
    }

    /** {@link #call}, without waiting: the caller goes on while the thread enters and works. */
    public <T> ThrowawayThread.Started<T> start(Supplier<T> task) {
        return ThrowawayThread.start("canal-netns", "work in network namespace " + description, () -> {
            // setns(2) with CLONE_NEWNET: this thread alone moves; its sockets are created here.
            Namespaces.setns(fd, linux_h.CLONE_NEWNET());
            return task.get();
        });
    }

    @Override
    public void close() {
        fd.close();
    }

    @Override
    public String toString() {
        return "network namespace " + description;
    }
}
