package dev.canal.runtime.spawn;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.ns.IdMappings;
import dev.canal.runtime.ns.NamespaceType;
import dev.canal.runtime.ns.TimeOffsets;
import dev.canal.runtime.rootfs.MountOptions;
import dev.canal.runtime.rootfs.RootDirectory;
import dev.canal.runtime.rootfs.RootfsPlan;
import dev.canal.runtime.spawn.clone.ChildProgram;
import dev.canal.runtime.spawn.clone.CloneChild;
import dev.canal.runtime.spawn.clone.CloneSpawner;
import dev.canal.runtime.sys.Chroot;
import dev.canal.runtime.sys.Landlock;
import dev.canal.runtime.sys.Namespaces;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.ProcessControl;
import dev.canal.runtime.sys.RawCall;
import dev.canal.runtime.sys.ThrowawayThread;
import dev.canal.runtime.sys.WorkingDirectory;
import java.lang.foreign.Arena;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The clone engine: clone(2) straight from the JVM into the new namespaces, user namespace
 * included, with a child that runs a program of raw system calls built for it and no Java
 * that could block ({@link CloneSpawner}). For everything a thread cannot do for itself: a JVM is
 * multithreaded, and the kernel refuses it a new user namespace.
 *
 * <p>The child is cloned from a throwaway thread whose working directory is the
 * {@link ExecFifo}'s tmpfs, so it is born there, and after the JVM was made not dumpable, so
 * nothing without CAP_SYS_PTRACE can reach its memory (a copy of this JVM's) through /proc, and
 * with a Landlock domain where the container may hold CAP_SYS_PTRACE
 * ({@link ThreadEngine#shieldsTheRuntime}). Its program, in order:
 * <ol>
 *   <li>wait for the parent, which writes the uid and gid maps and moves it into the container's
 *       cgroup meanwhile;
 *   <li>join the namespaces given by path (setns(2); the child is single-threaded, so a user
 *       namespace may be joined too), unshare a cgroup namespace (rooted at the cgroup the
 *       parent moved it into), and unshare a time namespace, whose offsets the parent
 *       writes while the child is held (execve(2) moves it into it, Linux 5.18); after joining
 *       a mount namespace, which moves it to that namespace's root, change back into the FIFOs'
 *       tmpfs;
 *   <li>in a user namespace, become its root (setresgid/setresuid 0): created by host root, the
 *       child is unmapped until the maps exist and would lose its capabilities at exec;
 *   <li>in a user namespace, drop the capabilities the bounding set leaves out (otherwise the
 *       thread the child is cloned from has dropped them, and the child inherits its set);
 *   <li>start a session, set the umask, the standard streams and the controlling terminal;
 *       close every descriptor it got from the JVM, mark the rest close-on-exec and empty the
 *       signal mask;
 *   <li>without no_new_privs, load the seccomp filter (it needs CAP_SYS_ADMIN, which the user
 *       change may take away); keep capabilities, set the groups, the gid and the uid, then the
 *       capability sets, the ambient ones and no_new_privs ({@link Privileges}). What follows a
 *       filter loaded here is what follows it in runc's init, so a profile that runs under runc
 *       runs here;
 *   <li>report the hold point, open the console if there is a terminal, open the exec FIFO,
 *       which blocks until start; then chdir into the container's working directory (by then
 *       inside its root), load the seccomp filter if no_new_privs allows it this late, and
 *       execve.
 * </ol>
 */
public final class CloneEngine implements SpawnEngine {

    /** From "go" to the hold point: a handful of system calls, normally well under a millisecond. */
    private static final Duration WATCHDOG = Duration.ofSeconds(2);

    @Override
    public String name() {
        return "clone";
    }

    @Override
    public SpawnedProcess spawn(
            NamespacePlan namespaces, ProcessPlan process, RootfsPlan rootfs, ExecFifo fifo, IntConsumer joinCgroup) {
        List<OwnedFd> inherited = new ArrayList<>();
        try (var arena = Arena.ofShared()) {
            ChildProgram.Builder program = ChildProgram.builder(arena);
            for (Map.Entry<NamespaceType, String> join : namespaces.join().entrySet()) {
                if (join.getKey() == NamespaceType.PID) {
                    continue; // joined by the cloning thread: see fromPreparedThread
                }
                OwnedFd namespace = keep(inherited, OwnedFd.open(join.getValue(), linux_h.O_RDONLY(), 0));
                program.step(
                        "setns " + join.getValue(),
                        linux_h.SYS_setns(),
                        namespace.fd(),
                        join.getKey().cloneFlag());
            }
            if (namespaces.creates(NamespaceType.CGROUP)) {
                // After the parent has moved the child into the container's cgroup: that becomes the root.
                program.step("unshare a cgroup namespace", linux_h.SYS_unshare(), linux_h.CLONE_NEWCGROUP());
            }
            if (namespaces.creates(NamespaceType.TIME)) {
                program.step("unshare a time namespace", linux_h.SYS_unshare(), linux_h.CLONE_NEWTIME());
            }
            if (namespaces.join().containsKey(NamespaceType.MOUNT)) {
                // setns(2) into a mount namespace moved the child to that namespace's root and
                // working directory: back into the FIFOs' tmpfs, whose descriptor it inherited.
                program.step(
                        "fchdir into the exec FIFO's tmpfs",
                        linux_h.SYS_fchdir(),
                        fifo.directory().fd());
            }
            if (rootfs != null && !namespaces.has(NamespaceType.MOUNT)) {
                // Not on the cloning thread: the parent writes the child's cgroup and id maps
                // from there, by host paths.
                program.step("chroot " + rootfs.rootfs(), Chroot.NUMBER, program.cString(rootfs.rootfs()));
            }
            boolean mountsProc = namespaces.creates(NamespaceType.PID) && !KernelFeatures.procfsPidns();
            if (mountsProc) {
                addProcMountSteps(program, rootfs);
            }
            if (namespaces.hasUserNamespace()) {
                program.step("setresgid 0 in the user namespace", linux_h.SYS_setresgid(), 0, 0, 0)
                        .step("setresuid 0 in the user namespace", linux_h.SYS_setresuid(), 0, 0, 0);
                // Entering a user namespace fills the bounding set (user_namespaces(7)): drop here.
                process.privileges().boundingSetDrops().forEach(program::step);
            }
            addSessionSteps(program, process);
            program.closeInheritedDescriptors().readyForExec();
            // From here on only what runc's init does after a seccomp filter loaded without
            // no_new_privs, which comes first in the credential steps: a profile written for
            // runc need allow nothing else of the setup.
            addCredentialSteps(program, process, arena);
            program.holdPoint();
            if (process.terminal()) {
                addTerminalSteps(program, process.console());
            }
            program.step(
                            "open the exec FIFO",
                            linux_h.SYS_openat(),
                            linux_h.AT_FDCWD(),
                            program.cString(ExecFifo.NAME),
                            linux_h.O_RDONLY() | linux_h.O_CLOEXEC())
                    .step("chdir " + process.cwd(), linux_h.SYS_chdir(), program.cString(process.cwd()));
            program.execve(
                    process.executable(),
                    process.args(),
                    process.env(),
                    process.privileges().lastBeforeExec(arena));

            long flags = namespaces.createFlags() & ~linux_h.CLONE_NEWTIME() & ~linux_h.CLONE_NEWCGROUP();
            ChildProgram built = program.build();
            CloneChild child = fromPreparedThread(
                    namespaces,
                    process,
                    rootfs,
                    fifo,
                    () -> CloneSpawner.spawn(flags, built, WATCHDOG, created -> {
                        if (namespaces.creates(NamespaceType.USER)) {
                            IdMappings.write(created.pid(), namespaces.uidMappings(), namespaces.gidMappings());
                        }
                        joinCgroup.accept(created.pid());
                    }));
            try {
                if (namespaces.creates(NamespaceType.TIME)) {
                    TimeOffsets.write(child.pid(), namespaces.timeOffsets());
                }
            } catch (RuntimeException e) {
                child.close();
                throw e;
            }
            return new SpawnedProcess(
                    child.pid(),
                    this,
                    timeout -> {
                        try (child) {
                            child.awaitExec(timeout);
                        }
                    },
                    mountsProc);
        } finally {
            inherited.forEach(OwnedFd::close);
        }
    }

    /**
     * Before Linux 6.18 procfs shows the pid namespace of whoever mounts it, so the container's
     * /proc must be mounted by a process inside: this one, which is pid 1 there. It mounts it at
     * the rootfs's host path before pivot_root, while the host's own /proc is still in its mount
     * namespace: a user namespace may only mount a procfs while one is fully visible
     * (mount_namespaces(7)). First its mounts become slaves, so nothing it mounts propagates
     * back to the host.
     *
     * <p>It runs before the child takes uid 0 of its user namespace: until then it still has
     * the host's uid 0, so it may walk the host's root-only directories to the rootfs as their
     * owner. (A descriptor from the parent would not do: it names the parent's mount, and
     * mount(2) refuses a target outside the caller's mount namespace.) The destination is
     * checked now to be a directory reached without symlinks, so the path cannot lead elsewhere.
     */
    private static void addProcMountSteps(ChildProgram.Builder program, RootfsPlan rootfs) {
        program.step(
                "make every mount a slave",
                linux_h.SYS_mount(),
                0,
                program.cString("/"),
                0,
                linux_h.MS_REC() | linux_h.MS_SLAVE(),
                0);
        try (var root = RootDirectory.open(rootfs.rootfs())) {
            for (RootfsPlan.Mount mount : rootfs.mounts()) {
                if (!"proc".equals(mount.type())) {
                    continue;
                }
                root.makeDirectories(mount.destination(), 0755);
                root.requireDirectoryWithoutSymlinks(mount.destination());
                MountOptions options = MountOptions.parse(mount.options());
                String target = rootfs.rootfs() + mount.destination();
                program.step(
                        "mount proc on " + mount.destination(),
                        linux_h.SYS_mount(),
                        program.cString("proc"),
                        program.cString(target),
                        program.cString("proc"),
                        options.flags(),
                        options.data().isEmpty() ? 0 : program.cString(options.data()));
            }
        }
    }

    /**
     * The child is cloned from a throwaway thread, so the JVM's other threads are untouched by
     * what this one prepares for it to inherit:
     * <ul>
     *   <li>its working directory, the exec FIFO's tmpfs (unshare(2) CLONE_FS first);</li>
     *   <li>an existing pid namespace: setns(2) with CLONE_NEWPID changes only where the
     *       caller's future children are born (pid_namespaces(7), pid_for_children), and
     *       {@code pid_for_children} belongs to each thread. Joined by the child, only its
     *       own children would be inside; joined by the cloning thread, the child is born
     *       there. runc forks twice instead; a JVM has threads to spare. Such a thread can
     *       no longer create threads (clone(2), EINVAL), so the spawner's watchdog thread is
     *       started before.</li>
     *   <li>without a user namespace, the Landlock domain of a container that may hold
     *       CAP_SYS_PTRACE, and the bounding set's drops: it is per thread and a child inherits
     *       it, so the child spends no steps (up to 40 system calls) on it. (In a user namespace
     *       the child drops them itself, since entering one fills the set; see {@link #spawn}.)</li>
     * </ul>
     */
    private static CloneChild fromPreparedThread(
            NamespacePlan namespaces,
            ProcessPlan process,
            RootfsPlan rootfs,
            ExecFifo fifo,
            Supplier<CloneChild> spawn) {
        Privileges privileges = process.privileges();
        List<RawCall> drops = namespaces.hasUserNamespace() ? List.of() : privileges.boundingSetDrops();
        String pidNamespace = namespaces.join().get(NamespaceType.PID);
        if (pidNamespace != null) {
            CloneSpawner.startWatchdogThread();
        }
        ProcessControl.makeNotDumpable();
        return ThrowawayThread.call("canal-clone", "cloning the container's process", () -> {
            Namespaces.unshare(linux_h.CLONE_FS());
            WorkingDirectory.change(fifo.directory());
            if (pidNamespace != null) {
                try (var namespace = OwnedFd.open(pidNamespace, linux_h.O_RDONLY(), 0)) {
                    Namespaces.setns(namespace, linux_h.CLONE_NEWPID());
                }
            }
            if (ThreadEngine.shieldsTheRuntime(namespaces, process, rootfs)) {
                Landlock.enterScopedDomain();
            }
            drops.forEach(RawCall::invoke);
            return spawn.get();
        });
    }

    /** A new session, the umask, the standard streams, the controlling terminal. */
    private static void addSessionSteps(ChildProgram.Builder program, ProcessPlan process) {
        program.step("setsid", linux_h.SYS_setsid());
        if (process.umask() >= 0) {
            program.step("umask", linux_h.SYS_umask(), process.umask());
        }
        int[] targets = {0, 1, 2};
        int[] sources = {
            process.stdio().in(), process.stdio().out(), process.stdio().err()
        };
        for (int i = 0; i < 3; i++) {
            if (sources[i] != targets[i]) {
                program.step("dup3 " + sources[i] + " to " + targets[i], linux_h.SYS_dup3(), sources[i], targets[i], 0);
            }
        }
        if (process.stdio().controllingTerminal()) {
            // The session leader (setsid above) takes the terminal on 0 as its controlling
            // terminal; a new pty is nobody's yet, so no privilege is needed (ioctl_tty(2)).
            program.step(
                    "make standard input the controlling terminal", linux_h.SYS_ioctl(), 0, linux_h.TIOCSCTTY(), 0);
        }
    }

    /**
     * The process's user and capabilities ({@link Privileges}): without no_new_privs the seccomp
     * filter first, keep capabilities, the groups, the gid and the uid, then the capability sets,
     * the ambient ones and no_new_privs.
     */
    private static void addCredentialSteps(ChildProgram.Builder program, ProcessPlan process, Arena arena) {
        process.privileges().beforeUserChange(arena).forEach(program::step);
        int[] groups = process.groups();
        long groupList = arena.allocateFrom(ValueLayout.JAVA_INT, groups.length == 0 ? new int[1] : groups)
                .address();
        program.step("setgroups", linux_h.SYS_setgroups(), groups.length, groupList)
                .step(
                        "setresgid " + process.gid(),
                        linux_h.SYS_setresgid(),
                        process.gid(),
                        process.gid(),
                        process.gid())
                .step(
                        "setresuid " + process.uid(),
                        linux_h.SYS_setresuid(),
                        process.uid(),
                        process.uid(),
                        process.uid());
        process.privileges().afterUserChange(arena).forEach(program::step);
    }

    /**
     * The terminal as the standard streams, once the rootfs with its terminal is ready
     * ({@link ExecFifo#CONSOLE_NAME}; that FIFO takes a descriptor above 2, as 0 to 2 are
     * open): with 0 closed, open(2) returns the lowest free descriptor, 0, which a step cannot
     * ask for otherwise (its arguments are fixed before the clone). A session leader without a
     * terminal that opens one without O_NOCTTY gets it as its controlling terminal
     * (credentials(7)).
     */
    private static void addTerminalSteps(ChildProgram.Builder program, String console) {
        program.step(
                        "open the console FIFO",
                        linux_h.SYS_openat(),
                        linux_h.AT_FDCWD(),
                        program.cString(ExecFifo.CONSOLE_NAME),
                        linux_h.O_RDONLY() | linux_h.O_CLOEXEC())
                .step("close standard input", linux_h.SYS_close(), 0)
                .step(
                        "open " + console,
                        linux_h.SYS_openat(),
                        linux_h.AT_FDCWD(),
                        program.cString(console),
                        linux_h.O_RDWR())
                .step("dup3 0 to 1", linux_h.SYS_dup3(), 0, 1, 0)
                .step("dup3 0 to 2", linux_h.SYS_dup3(), 0, 2, 0);
    }

    private static OwnedFd keep(List<OwnedFd> inherited, OwnedFd fd) {
        inherited.add(fd);
        return fd;
    }
}
