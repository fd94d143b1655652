package dev.canal.runtime.spawn;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.ns.NamespaceType;
import dev.canal.runtime.ns.TimeOffsets;
import dev.canal.runtime.rootfs.RootfsPlan;
import dev.canal.runtime.sys.Backoff;
import dev.canal.runtime.sys.Chroot;
import dev.canal.runtime.sys.Credentials;
import dev.canal.runtime.sys.Landlock;
import dev.canal.runtime.sys.Namespaces;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.PosixSpawn;
import dev.canal.runtime.sys.ProcessControl;
import dev.canal.runtime.sys.Processes;
import dev.canal.runtime.sys.RawCall;
import dev.canal.runtime.sys.Signals;
import dev.canal.runtime.sys.WorkingDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * The thread engine: a throwaway platform thread moves itself into the container's
 * namespaces with unshare(2) and setns(2), takes the process's credentials, and calls
 * posix_spawn(3). Its child starts life inside those namespaces, as pid 1 of a new pid
 * namespace or born into a joined one, and no Java code runs in it.
 *
 * <p>The thread prepares everything the child inherits before the child exists, because from
 * its first instant the child can be seen from inside a container whose pid namespace it is in
 * (an {@code exec}, or a container joined to this one's): its namespaces (for an exec, the
 * container's mount namespace, so its root is the container's); its working directory, the
 * {@link ExecFifo}'s tmpfs, which leads nowhere; its credentials and capabilities. Until it
 * execs, the child shares this JVM's memory (posix_spawn uses CLONE_VM), and until its first
 * file action closes them it has a copy of the JVM's descriptors. Both are reachable only with
 * ptrace access to it ({@code /proc/PID/mem}, {@code /proc/PID/fd}), which is denied to the
 * container: the JVM is made not dumpable, which stops every process without CAP_SYS_PTRACE in
 * the host's user namespace, and a container that may hold that capability gets a Landlock
 * domain ({@link #shieldsTheRuntime}) that stops it (ptrace(2), landlock(7)). (A private,
 * emptied descriptor table for the spawning thread would close the descriptors earlier, but
 * the JVM reads its classes through them, and the thread runs Java again once the child has
 * exec'd: measured, the first class it loaded then crashed the JVM.)
 *
 * <p>The thread stays blocked in posix_spawn until the child calls execve(2): glibc uses
 * {@code CLONE_VFORK}. The child's last file action before exec opens the exec FIFO for
 * reading, which holds it there until {@code start}. The thread is a daemon: a JVM that created
 * a container may exit while the container waits.
 *
 * <p>A seccomp filter is loaded on the thread too, last, so the child inherits it: only one that
 * provably allows what the thread and the JVM do on it afterwards ({@link Privileges#filterFitsSpawningThread}).
 *
 * <p>The kernel lets a thread of a multithreaded process create every namespace but a user
 * namespace (unshare(2), EINVAL), so containers with a user namespace use the clone engine. A
 * cgroup namespace's root is the cgroup of whoever makes it, and a thread cannot enter a cgroup
 * v2 without its whole JVM: the JVM makes it ({@link dev.canal.runtime.ns.CgroupNamespaceRoot})
 * and the thread joins it.
 */
public final class ThreadEngine implements SpawnEngine {

    private static final Duration CHILD_APPEARS = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "thread";
    }

    @Override
    public SpawnedProcess spawn(
            NamespacePlan namespaces, ProcessPlan process, RootfsPlan rootfs, ExecFifo fifo, IntConsumer joinCgroup) {
        if (namespaces.hasUserNamespace()) {
            throw new IllegalArgumentException(
                    "the thread engine cannot create or join a user namespace; use the clone engine");
        }
        if (!process.privileges().filterFitsSpawningThread()) {
            throw new IllegalArgumentException(
                    "this seccomp filter does not allow what the thread engine's spawning thread does"
                            + " after loading it; use the clone engine");
        }
        if (namespaces.creates(NamespaceType.CGROUP)) {
            throw new IllegalArgumentException("the thread engine joins a cgroup namespace rather than creating"
                    + " one: make it with CgroupNamespaceRoot, or use the clone engine");
        }
        var tid = new CompletableFuture<Integer>();
        var exec = new CompletableFuture<Void>();
        Thread.ofPlatform()
                .name("canal-spawn")
                .daemon(true)
                .start(() -> spawnFromThisThread(namespaces, process, rootfs, fifo, tid, exec));
        int pid = findChild(await(tid, CHILD_APPEARS), exec);
        // Held in posix_spawn's file actions, before exec: nothing of the container's runs yet.
        try {
            joinCgroup.accept(pid);
        } catch (RuntimeException e) {
            // Nobody else knows the process yet: killed and reaped here, or it would wait
            // forever on its FIFO (held, it ignores every signal but SIGKILL).
            Signals.kill(pid, linux_h.SIGKILL());
            Processes.waitForExit(pid);
            throw e;
        }
        return new SpawnedProcess(pid, this, timeout -> await(exec, timeout), false);
    }

    /**
     * The spawning thread's work, in the order the class comment gives: everything the child
     * inherits is in place before posix_spawn(3) creates it. {@code tid} completes with this
     * thread's id as soon as it starts, {@code exec} once the child has exec'd (or with why not).
     */
    private static void spawnFromThisThread(
            NamespacePlan namespaces,
            ProcessPlan process,
            RootfsPlan rootfs,
            ExecFifo fifo,
            CompletableFuture<Integer> tid,
            CompletableFuture<Void> exec) {
        try (var spawn = new PosixSpawn();
                var arena = Arena.ofConfined()) {
            tid.complete(Processes.tid());
            enterNamespaces(namespaces);
            WorkingDirectory.change(fifo.directory());
            if (rootfs != null && !namespaces.has(NamespaceType.MOUNT)) {
                Chroot.into(rootfs.rootfs());
            }
            ProcessControl.makeNotDumpable();
            if (shieldsTheRuntime(namespaces, process, rootfs)) {
                Landlock.enterScopedDomain();
            }
            becomeTheProcessUser(process);
            fileActions(spawn, process);
            // With no_new_privs the seccomp filter comes last (without, it came before the user
            // change, in Privileges' order): from here on this thread makes only the calls
            // SpawningThreadFilter checked.
            process.privileges().lastBeforeExec(arena).forEach(RawCall::invoke);
            spawn.spawn(process.executable(), process.args(), process.env());
            exec.complete(null);
        } catch (Throwable failure) {
            tid.completeExceptionally(failure);
            exec.completeExceptionally(failure);
        }
    }

    /**
     * Whether the container's first process gets a Landlock domain of its own, which keeps its
     * processes from reaching this engine's children before they exec (an {@code exec}'s
     * process, or a held one in a joined pid namespace), though they share this JVM's memory.
     * Only a process that may hold CAP_SYS_PTRACE in the host's user namespace needs it: for any
     * other, the JVM not being dumpable is enough (ptrace(2), "Ptrace access mode checking").
     * Only the first process: an exec'd process outside the domain may still trace the
     * container's, as a debugger started with {@code exec} does. Needs Landlock scopes (Linux
     * 6.12); without them such a container could reach this JVM's memory during an exec
     * (docs/security.md).
     */
    static boolean shieldsTheRuntime(NamespacePlan namespaces, ProcessPlan process, RootfsPlan rootfs) {
        return rootfs != null
                && !namespaces.hasUserNamespace()
                && process.privileges().mayHold(linux_h.CAP_SYS_PTRACE())
                && Landlock.hasScopes();
    }

    /**
     * unshare(2) the new namespaces, with CLONE_FS so the thread may have a mount namespace
     * (and root, cwd and umask) of its own, then setns(2) into the joined ones. Their
     * descriptors are all opened first: once the thread has joined a mount namespace, paths
     * resolve in the container, where the host's /proc is not. Namespaces created here are the
     * thread's, and its children's; the rest of the JVM is untouched.
     */
    private static void enterNamespaces(NamespacePlan namespaces) {
        List<OwnedFd> joined = new ArrayList<>();
        try {
            for (String path : namespaces.join().values()) {
                joined.add(OwnedFd.open(path, linux_h.O_RDONLY(), 0));
            }
            Namespaces.unshare(linux_h.CLONE_FS() | namespaces.createFlags());
            int i = 0;
            for (NamespaceType type : namespaces.join().keySet()) {
                Namespaces.setns(joined.get(i++), type.cloneFlag());
            }
        } finally {
            joined.forEach(OwnedFd::close);
        }
        if (namespaces.creates(NamespaceType.TIME)) {
            TimeOffsets.write(Processes.tid(), namespaces.timeOffsets());
        }
    }

    /**
     * Supplementary groups, then gid, then uid: once the uid is not 0 the thread may no longer
     * change its groups. The capability calls come around them in {@link Privileges}' order.
     * Each call changes this thread only (see {@link Credentials}); posix_spawn's child inherits
     * them all, and the thread ends right after.
     */
    private static void becomeTheProcessUser(ProcessPlan process) {
        if (process.umask() >= 0) {
            Credentials.setUmask(process.umask());
        }
        Privileges privileges = process.privileges();
        privileges.boundingSetDrops().forEach(RawCall::invoke);
        try (var arena = Arena.ofConfined()) {
            privileges.beforeUserChange(arena).forEach(RawCall::invoke);
            Credentials.setGroups(process.groups());
            Credentials.setGid(process.gid());
            Credentials.setUid(process.uid());
            privileges.afterUserChange(arena).forEach(RawCall::invoke);
        }
    }

    /**
     * The file actions run in the child in this order: its standard streams; close every other
     * descriptor it got from the JVM; with a terminal, wait for the
     * rootfs and open it as the standard streams; open the FIFO in its working directory, the
     * FIFO's tmpfs (this blocks until start); then into the container's working directory. The
     * FIFOs are close-on-exec, so the program never sees them.
     */
    private static void fileActions(PosixSpawn spawn, ProcessPlan process) {
        Stdio stdio = process.stdio();
        spawn.dup2(stdio.in(), 0).dup2(stdio.out(), 1).dup2(stdio.err(), 2).closeFrom(3);
        if (process.terminal()) {
            // Once the rootfs is ready (ExecFifo.CONSOLE_NAME). A session leader without a
            // terminal that opens one (no O_NOCTTY) gets it as its controlling terminal
            // (credentials(7)); posix_spawn's setsid comes before the file actions.
            spawn.open(4, ExecFifo.CONSOLE_NAME, linux_h.O_RDONLY() | linux_h.O_CLOEXEC(), 0)
                    .open(0, process.console(), linux_h.O_RDWR(), 0)
                    .dup2(0, 1)
                    .dup2(0, 2);
        }
        spawn.open(3, ExecFifo.NAME, linux_h.O_RDONLY() | linux_h.O_CLOEXEC(), 0);
        if (stdio.controllingTerminal()) {
            // The same: opened again by its path in the container, the peer the streams already
            // are becomes the controlling terminal (posix_spawn has no ioctl(TIOCSCTTY) action).
            spawn.open(0, stdio.terminalPath(), linux_h.O_RDWR(), 0);
        }
        spawn.chdir(process.cwd()).newSession().defaultSignals();
    }

    /**
     * The child's pid. posix_spawn only returns it after exec, so it is read from the kernel's
     * list of the spawning thread's children (proc(5), /proc/PID/task/TID/children).
     */
    private static int findChild(int tid, CompletableFuture<Void> exec) {
        Path children = Path.of("/proc/self/task/" + tid + "/children");
        try {
            var backoff = Backoff.until(CHILD_APPEARS);
            do {
                String listed =
                        Files.exists(children) ? Files.readString(children).strip() : "";
                if (!listed.isEmpty()) {
                    return Integer.parseInt(listed.split(" ")[0]);
                }
                if (exec.isCompletedExceptionally()) {
                    await(exec, CHILD_APPEARS);
                }
            } while (backoff.pause());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException("the container's first process did not appear within " + CHILD_APPEARS);
    }

    private static <T> T await(CompletableFuture<T> future, Duration timeout) {
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating the container's process", e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("the spawning thread did not finish within " + timeout, e);
        }
    }
}
