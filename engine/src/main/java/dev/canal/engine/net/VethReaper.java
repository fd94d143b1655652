package dev.canal.engine.net;

import dev.canal.runtime.net.BridgeNetworking;
import dev.canal.runtime.net.NetlinkSocket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Deletes the veth pairs of ended containers in a thread of its own, then gives their addresses
 * back. Deleting a veth ({@code RTM_DELLINK}) returns only once the kernel has unregistered both
 * devices, which waits for RCU grace periods (net/core/dev.c: {@code synchronize_net} in
 * {@code unregister_netdevice_many}, {@code rcu_barrier} in {@code netdev_run_todo}): 10 to 70 ms
 * on a loaded machine, that {@code docker run --rm} would otherwise wait for.
 *
 * <p>An address goes back only once the veth that carried it is gone, so it is never on two
 * links at once; a deletion that fails keeps it held until the next start's reconcile. Who needs
 * a network or a container without pending deletions waits for them ({@link #awaitNetwork},
 * {@link #awaitContainer}); {@link #close} waits for all.
 *
 * <p>The caller serialises {@link #reap} and the waits (the engine's network lock); the deletions
 * and the address releases that follow them run in the reaper's thread, without that lock.
 */
final class VethReaper implements AutoCloseable {

    /** One container's veth on one network. */
    private record Deletion(String networkId, String containerId) {}

    private final Supplier<NetlinkSocket> openRoute;
    private final ExecutorService thread;
    private final Map<Deletion, CompletableFuture<Void>> pending = new ConcurrentHashMap<>();
    /** The host namespace's rtnetlink socket, used by the reaper's thread alone once opened. */
    private NetlinkSocket route;

    /**
     * {@code openRoute} opens an rtnetlink socket of the host namespace, at the first deletion;
     * {@code thread} runs the deletions one after the other ({@link #newThread}, or a test's).
     */
    VethReaper(Supplier<NetlinkSocket> openRoute, ExecutorService thread) {
        this.openRoute = openRoute;
        this.thread = thread;
    }

    /** The reaper's own thread: a daemon thread, so that a JVM that halts does not wait for it. */
    static ExecutorService newThread() {
        return Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("canal-veth-reaper").daemon().factory());
    }

    /**
     * Deletes container {@code containerId}'s veth on {@code network} (if the kernel has not yet
     * destroyed it with the container's namespace), then runs {@code releaseAddress}.
     */
    void reap(NetworkRecord network, String containerId, Runnable releaseAddress) {
        if (route == null) {
            route = openRoute.get();
        }
        NetlinkSocket socket = route;
        var deletion = new Deletion(network.id(), containerId);
        var done = new CompletableFuture<Void>();
        pending.put(deletion, done);
        thread.execute(() -> {
            try {
                BridgeNetworking.deleteVeth(socket, network.bridgeNetwork(), containerId);
                releaseAddress.run();
            } catch (RuntimeException e) {
                System.err.println("canal: deleting the veth of container " + containerId + " on network "
                        + network.name() + ": " + e.getMessage()
                        + " (its address stays held until the daemon's next start)");
            } finally {
                pending.remove(deletion, done);
                done.complete(null);
            }
        });
    }

    /** Whether a veth of network {@code networkId} is still being deleted. */
    boolean pendingOn(String networkId) {
        return pending.keySet().stream().anyMatch(d -> d.networkId().equals(networkId));
    }

    /** Waits until no veth of network {@code networkId} is being deleted, and its addresses are back. */
    void awaitNetwork(String networkId) {
        await(d -> d.networkId().equals(networkId));
    }

    /** Waits until no veth of container {@code containerId} is being deleted (its next start makes them again). */
    void awaitContainer(String containerId) {
        await(d -> d.containerId().equals(containerId));
    }

    private void await(Predicate<Deletion> which) {
        List<CompletableFuture<Void>> waits = pending.entrySet().stream()
                .filter(e -> which.test(e.getKey()))
                .map(Map.Entry::getValue)
                .toList();
        waits.forEach(CompletableFuture::join);
    }

    /** Waits for every pending deletion, then closes the socket. */
    @Override
    public void close() {
        thread.close();
        if (route != null) {
            route.close();
        }
    }
}
