package dev.canal.runtime.testing;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.net.NetworkNamespace;
import dev.canal.runtime.sys.Namespaces;
import dev.canal.runtime.sys.NetworkInterfaces;
import dev.canal.runtime.sys.ThrowawayThread;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Network namespaces of a test's own, so that no link, address, route, rule or packet of a
 * test ever touches the machine's own network namespace. Each is made by a throwaway thread
 * that unshares CLONE_NEWNET and brings loopback up; the returned descriptor keeps it alive,
 * and closing it lets the kernel destroy it with every interface in it.
 */
public final class ScratchNetworkNamespace {

    private ScratchNetworkNamespace() {}

    /** A new network namespace, loopback up. */
    public static NetworkNamespace create() {
        return ThrowawayThread.call("canal-test-netns", "create a network namespace", ScratchNetworkNamespace::unshare);
    }

    /** A new network namespace made from inside {@code parent} ("a container of the test's host"). */
    public static NetworkNamespace createInside(NetworkNamespace parent) {
        return parent.call(ScratchNetworkNamespace::unshare);
    }

    private static NetworkNamespace unshare() {
        Namespaces.unshare(linux_h.CLONE_NEWNET());
        if (namespace("/proc/thread-self/ns/net").equals(namespace("/proc/self/ns/net"))) {
            throw new IllegalStateException("unshare(CLONE_NEWNET) left the thread in the machine's namespace");
        }
        NetworkInterfaces.up("lo");
        return NetworkNamespace.current();
    }

    private static String namespace(String path) {
        try {
            return Files.readSymbolicLink(Path.of(path)).toString();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
