package dev.canal.runtime.rootfs;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.sys.Errno;
import dev.canal.runtime.sys.Mounts;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.WorkingDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Builds a container's root filesystem inside its mount namespace, in runc's order
 * ({@code libcontainer/rootfs_linux.go}): make the namespace's mounts private, bind the rootfs
 * onto itself, mount the spec's mounts in order, populate /dev, pause for the hooks that run
 * before pivot_root ({@code createRuntime}, {@code createContainer}), mask paths, make paths and
 * the root read-only, then pivot_root into the rootfs and detach the host's root.
 *
 * <p>It runs on a thread that has joined the container's mount namespace (and its network
 * namespace, since sysfs shows the network devices of whoever mounts it) while the container's
 * first process is held. pivot_root(2) moves every task whose root was the old root, so the held
 * process, which still has the namespace's original root, ends up in the container's root too.
 */
public final class RootfsBuilder {

    private final RootfsPlan plan;
    private final OwnedFd pidNamespace;
    private final boolean procMounted;
    private final Runnable afterMounts;

    /**
     * @param plan         what to build
     * @param pidNamespace the container's pid namespace, for mounting its /proc, or null to
     *                     mount /proc for the calling thread's
     * @param procMounted  the container's process has mounted the proc mounts itself: skip them
     * @param afterMounts  runs once the spec's mounts are in place, while the host's root is
     *                     still this mount namespace's root: where runc runs the createRuntime
     *                     and createContainer hooks (rootfs_linux.go, prepareRootfs); it may throw
     *                     to stop the build
     */
    public RootfsBuilder(RootfsPlan plan, OwnedFd pidNamespace, boolean procMounted, Runnable afterMounts) {
        this.plan = plan;
        this.pidNamespace = pidNamespace;
        this.procMounted = procMounted;
        this.afterMounts = afterMounts;
    }

    /**
     * Everything, in order: {@link #steps()}. All of it happens before pivot_root, on paths
     * resolved inside the rootfs: after pivot_root this thread's root is the container's, where
     * the JVM's class path does not exist, so no class could be loaded any more (every step's
     * code is linked when the list is made).
     *
     * @return the master of the process's terminal, or null when it has none
     */
    public OwnedFd build() {
        var progress = new Progress();
        try {
            for (Step step : steps()) {
                step.run(progress);
            }
            return progress.console;
        } catch (RuntimeException e) {
            if (progress.console != null) {
                progress.console.close();
            }
            throw e;
        } finally {
            progress.closeRoot();
        }
    }

    /**
     * What {@link #build} does, in order. A step that config.json asks for is named by its item
     * ({@code mounts[2] (proc on /proc)}), which a failure then names; the runtime's own steps
     * by what they do.
     */
    List<Step> steps() {
        List<Step> steps = new ArrayList<>();
        steps.add(Step.runtime("isolate from the host's mounts", progress -> isolateFromHost()));
        steps.add(Step.runtime(
                "bind the rootfs onto itself",
                progress ->
                        Mounts.mount(plan.rootfs(), plan.rootfs(), null, linux_h.MS_BIND() | linux_h.MS_REC(), null)));
        steps.add(Step.runtime("open the rootfs", progress -> progress.root = RootDirectory.open(plan.rootfs())));
        for (int i = 0; i < plan.mounts().size(); i++) {
            RootfsPlan.Mount mount = plan.mounts().get(i);
            if (procMounted && "proc".equals(mount.type())) {
                continue;
            }
            steps.add(Step.spec(
                    "mounts[" + i + "] (" + mount.type() + " on " + mount.destination() + ")",
                    progress -> SpecMounts.mount(progress.root, mount, pidNamespace, plan.containerCgroup())));
            if (mount.destination().equals("/dev")
                    && !MountOptions.parse(mount.options()).isBind()) {
                steps.add(Step.spec("linux.devices", progress -> DeviceNodes.populate(progress.root, plan.devices())));
            }
        }
        steps.add(Step.runtime("createRuntime and createContainer hooks", progress -> afterMounts.run()));
        for (int i = 0; i < plan.maskedPaths().size(); i++) {
            String path = plan.maskedPaths().get(i);
            steps.add(Step.spec(
                    "linux.maskedPaths[" + i + "] (" + path + ")", progress -> PathMasks.mask(progress.root, path)));
        }
        for (int i = 0; i < plan.readonlyPaths().size(); i++) {
            String path = plan.readonlyPaths().get(i);
            steps.add(Step.spec(
                    "linux.readonlyPaths[" + i + "] (" + path + ")",
                    progress -> PathMasks.makeReadonly(progress.root, path)));
        }
        if (plan.console() != null) {
            // Its pty comes from the container's /dev/pts: without that mount, there is none.
            steps.add(Step.spec(
                    "process.terminal",
                    progress -> progress.console = ConsoleSetup.attach(progress.root, plan.console())));
        }
        if (plan.readonly()) {
            steps.add(Step.runtime("make the root read-only", progress -> {
                try (var rootMount = progress.root.resolve("/")) {
                    Mounts.setAttributes(rootMount, false, linux_h.MOUNT_ATTR_RDONLY(), 0);
                }
            }));
        }
        steps.add(Step.runtime("close the rootfs", Progress::closeRoot));
        long rootPropagation = plan.propagation() == null ? 0 : MountOptions.propagation(plan.propagation());
        steps.add(Step.runtime("pivot_root", progress -> pivotRoot(rootPropagation)));
        return steps;
    }

    /**
     * One step of the build.
     *
     * @param name          what it does, or the config.json item it carries out
     * @param namesSpecItem a failure is a {@link RootfsException} naming {@code name}
     */
    record Step(String name, boolean namesSpecItem, Consumer<Progress> action) {

        static Step spec(String item, Consumer<Progress> action) {
            return new Step(item, true, action);
        }

        static Step runtime(String name, Consumer<Progress> action) {
            return new Step(name, false, action);
        }

        void run(Progress progress) {
            if (!namesSpecItem) {
                action.accept(progress);
                return;
            }
            try {
                action.accept(progress);
            } catch (RuntimeException e) {
                throw new RootfsException(name, e);
            }
        }
    }

    /** What the steps hand on: the rootfs, opened once, and the terminal's master once attached. */
    static final class Progress {
        private RootDirectory root;
        private OwnedFd console;

        private void closeRoot() {
            if (root != null) {
                root.close();
                root = null;
            }
        }
    }

    /**
     * After unshare(CLONE_NEWNS) every mount is a copy that still shares propagation with the
     * host's (on systemd hosts / is shared): a mount made here would appear on the host. runc's
     * default makes them slaves: host mounts still propagate in, nothing propagates out
     * (mount_namespaces(7)). A private or stricter rootfsPropagation is applied right away.
     */
    private void isolateFromHost() {
        long propagation = linux_h.MS_SLAVE() | linux_h.MS_REC();
        if (plan.propagation() != null && List.of("private", "rprivate").contains(plan.propagation())) {
            propagation = linux_h.MS_PRIVATE() | linux_h.MS_REC();
        }
        Mounts.mount(null, "/", null, propagation, null);
    }

    /**
     * pivot_root(".", ".") stacks the old root on top of the new one; unmounting "." with
     * MNT_DETACH then removes the old root from the namespace, so the host's filesystem is no
     * longer reachable from inside (pivot_root(2), NOTES; chroot(2) alone is escapable).
     */
    private void pivotRoot(long rootPropagation) {
        // Loaded now because an error after pivot_root could no longer load them (see build).
        Errno.name(0);
        try (var newRoot = OwnedFd.open(plan.rootfs(), linux_h.O_DIRECTORY() | linux_h.O_RDONLY(), 0)) {
            WorkingDirectory.change(newRoot);
            Mounts.pivotRoot(".", ".");
            Mounts.unmount(".", linux_h.MNT_DETACH());
            WorkingDirectory.change("/");
            // Only now: pivot_root refuses a shared new root (EINVAL), so rshared is applied to
            // the root it has become, as runc does.
            if (rootPropagation != 0) {
                Mounts.mount(null, "/", null, rootPropagation, null);
            }
        }
    }
}
