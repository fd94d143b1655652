package dev.canal.runtime.spawn;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.ns.NamespaceType;
import dev.canal.runtime.ns.TimeOffsets;
import dev.canal.runtime.rootfs.RootfsPlan;
import dev.canal.runtime.sys.Backoff;
import dev.canal.runtime.sys.Credentials;
import dev.canal.runtime.sys.Namespaces;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.PosixSpawn;
import dev.canal.runtime.sys.ProcessControl;
import dev.canal.runtime.sys.Processes;
import dev.canal.runtime.sys.RawCall;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;

/**
 * The thread engine: a throwaway platform thread moves itself into the container's new
 * namespaces with unshare(2) and setns(2), takes the process's credentials, and calls
 * posix_spawn(3). Its child starts life inside those namespaces, as pid 1 of a new pid
 * namespace, and no Java code runs in it.
 *
 * <p>The thread stays blocked in posix_spawn until the child calls execve(2): glibc uses
 * {@code CLONE_VFORK}. The child's last file action before exec opens the {@link ExecFifo} for
 * reading, which holds it there until {@code start}. The thread is a daemon: a JVM that created
 * a container may exit while the container waits.
 *
 * <p>Until exec the child shares this JVM's memory (posix_spawn uses CLONE_VM), so the JVM is
 * made not dumpable first: nothing in the container, root included, can read that memory or
 * open the host's java binary through /proc/PID/mem or /proc/PID/exe while the child is held
 * (the CVE-2019-5736 class of escape). execve(2) makes the container's program dumpable again.
 *
 * <p>The kernel lets a thread of a multithreaded process create every namespace but a user
 * namespace (unshare(2), EINVAL), so containers with a user namespace use the clone engine. So
 * do containers with a seccomp filter: loaded on this thread, it would also bind the JVM code
 * the thread runs after posix_spawn returns. And containers with a cgroup namespace: its root is
 * the cgroup of whoever makes it, and a thread cannot enter a cgroup v2 without its whole JVM.
 */
public final class ThreadEngine implements SpawnEngine {

    private static final Duration CHILD_APPEARS = Duration.ofSeconds(10);

    @Override
    public String name() {
        return "thread";
    }

    @Override
    public SpawnedProcess spawn(
            NamespacePlan namespaces,
            ProcessPlan process,
            RootfsPlan rootfs,
            Path stateDirectory,
            IntConsumer joinCgroup) {
        if (namespaces.hasUserNamespace()) {
            throw new IllegalArgumentException(
                    "the thread engine cannot create or join a user namespace; use the clone engine");
        }
        if (process.privileges().seccomp() != null) {
            throw new IllegalArgumentException("the thread engine cannot load a seccomp filter; use the clone engine");
        }
        if (namespaces.creates(NamespaceType.CGROUP)) {
            throw new IllegalArgumentException(
                    "the thread engine cannot create a cgroup namespace; use the clone engine");
        }
        if (process.stdio().controllingTerminal()) {
            // posix_spawn(3) has no file action for ioctl(TIOCSCTTY).
            throw new IllegalArgumentException(
                    "the thread engine cannot give a terminal on standard input as controlling terminal;"
                            + " use the clone engine");
        }
        var tid = new CompletableFuture<Integer>();
        var exec = new CompletableFuture<Void>();
        Thread.ofPlatform().name("canal-spawn").daemon(true).start(() -> {
            // The state directory is opened while the thread is still root: once it is the
            // process's user it may not be allowed to look up the path.
            try (var state = OwnedFd.open(stateDirectory.toString(), linux_h.O_PATH() | linux_h.O_DIRECTORY(), 0)) {
                tid.complete(Processes.tid());
                enterNamespaces(namespaces);
                ProcessControl.makeNotDumpable();
                becomeTheProcessUser(process);
                spawnHeld(process, state);
                exec.complete(null);
            } catch (Throwable failure) {
                tid.completeExceptionally(failure);
                exec.completeExceptionally(failure);
            }
        });
        int pid = findChild(await(tid, CHILD_APPEARS), exec);
        // Held in posix_spawn's file actions, before exec: nothing of the container's runs yet.
        joinCgroup.accept(pid);
        return new SpawnedProcess(pid, this, timeout -> await(exec, timeout), false);
    }

    /**
     * unshare(2) the new namespaces, with CLONE_FS so the thread may have a mount namespace
     * (and root, cwd and umask) of its own, then setns(2) into the joined ones. Namespaces
     * created here are the thread's, and its children's; the rest of the JVM is untouched.
     */
    private static void enterNamespaces(NamespacePlan namespaces) {
        Namespaces.unshare(linux_h.CLONE_FS() | namespaces.createFlags());
        for (Map.Entry<NamespaceType, String> join : namespaces.join().entrySet()) {
            try (var namespace = OwnedFd.open(join.getValue(), linux_h.O_RDONLY(), 0)) {
                Namespaces.setns(namespace, join.getKey().cloneFlag());
            }
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
     * The file actions run in the child in this order: its standard streams; into the host's
     * state directory (still reachable: the child has the host's root until pivot_root); close
     * every other descriptor; with a terminal, wait for the rootfs and open it as the standard
     * streams; open the FIFO (this blocks until start); then into the container's working
     * directory. The FIFOs are close-on-exec, so the program never sees them.
     */
    private static void spawnHeld(ProcessPlan process, OwnedFd state) {
        try (var spawn = new PosixSpawn()) {
            spawn.dup2(process.stdio().in(), 0)
                    .dup2(process.stdio().out(), 1)
                    .dup2(process.stdio().err(), 2)
                    .fchdir(state)
                    .closeFrom(3);
            if (process.terminal()) {
                // Once the rootfs is ready (ExecFifo.CONSOLE_NAME). A session leader without a
                // terminal that opens one (no O_NOCTTY) gets it as its controlling terminal
                // (credentials(7)); posix_spawn's setsid comes before the file actions.
                spawn.open(4, ExecFifo.CONSOLE_NAME, linux_h.O_RDONLY() | linux_h.O_CLOEXEC(), 0)
                        .open(0, ProcessPlan.CONSOLE, linux_h.O_RDWR(), 0)
                        .dup2(0, 1)
                        .dup2(0, 2);
            }
            spawn.open(3, ExecFifo.NAME, linux_h.O_RDONLY() | linux_h.O_CLOEXEC(), 0)
                    .chdir(process.cwd());
            spawn.newSession().defaultSignals().spawn(process.executable(), process.args(), process.env());
        }
    }

    /**
     * The child's pid. posix_spawn only returns it after exec, so it is read from the kernel's
     * list of the spawning thread's children (proc(5), /proc/PID/task/TID/children).
     */
    private static int findChild(int tid, CompletableFuture<Void> exec) {
        Path children = Path.of("/proc/self/task/" + tid + "/children");
        long deadline = System.nanoTime() + CHILD_APPEARS.toNanos();
        try {
            var backoff = new Backoff();
            while (System.nanoTime() < deadline) {
                String listed =
                        Files.exists(children) ? Files.readString(children).strip() : "";
                if (!listed.isEmpty()) {
                    return Integer.parseInt(listed.split(" ")[0]);
                }
                if (exec.isCompletedExceptionally()) {
                    await(exec, CHILD_APPEARS);
                }
                backoff.pause();
            }
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
