package dev.canal.runtime.container;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.cgroup.Cgroup;
import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.cgroup.Cgroups;
import dev.canal.runtime.oci.ProcessConfig;
import dev.canal.runtime.oci.Spec;
import dev.canal.runtime.oci.SpecReader;
import dev.canal.runtime.seccomp.SeccompCache;
import dev.canal.runtime.spawn.ExecFifo;
import dev.canal.runtime.spawn.ProcessPlan;
import dev.canal.runtime.spawn.SpawnedProcess;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.sys.Backoff;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.Processes;
import dev.canal.runtime.sys.Signals;
import dev.canal.runtime.sys.SyscallException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One container, with the runtime-spec's lifecycle operations ({@code runtime.md#operations}):
 * {@link #start}, {@link #state}, {@link #kill}, {@link #delete}, and {@link #waitForExit} for
 * the process that created it.
 */
public final class Container {

    private static final long RELEASE_TIMEOUT_MS = 10_000;

    private final Path stateDirectory;
    private final StoredState stored;
    /** The process as its engine returned it: only in the JVM that created the container. */
    private final SpawnedProcess spawned;
    /** The master of the process's terminal ({@code process.terminal}): only in the creating JVM. */
    private final OwnedFd terminal;
    /** Opened on first use; see {@link #cgroup()}. */
    private Cgroup cgroup;

    Container(Path stateDirectory, StoredState stored, SpawnedProcess spawned, OwnedFd terminal) {
        this.stateDirectory = stateDirectory;
        this.stored = stored;
        this.spawned = spawned;
        this.terminal = terminal;
    }

    /**
     * Locks the container against other commands until the lock is closed: {@code SHARED} for
     * operations that only read or signal, {@code EXCLUSIVE} for those that change it (see
     * {@link StateLock}). Throws "does not exist" if it was deleted since it was loaded.
     */
    public StateLock lock(StateLock.Mode mode) {
        return StateLock.acquire(stateDirectory, id(), stored, mode);
    }

    /**
     * The master side of the process's pseudoterminal, when config.json asked for one and this is
     * the JVM that created the container: what the program writes is read here, what is written
     * here is its input. The caller owns it and closes it.
     */
    public Optional<OwnedFd> terminal() {
        return Optional.ofNullable(terminal);
    }

    public String id() {
        return stored.id();
    }

    /** The first process's pid, as the host sees it. */
    public int pid() {
        return stored.pid();
    }

    public Path bundle() {
        return Path.of(stored.bundle());
    }

    /**
     * The config.json the container was created from, as create validated it: later changes to
     * the bundle's do not affect the container ({@link SavedConfig}).
     */
    public Path config() {
        return SavedConfig.of(stateDirectory, bundle());
    }

    /** The engine that created the first process: "thread" or "clone". */
    public String engine() {
        return stored.engine();
    }

    public Map<String, String> annotations() {
        return stored.annotations();
    }

    /** The state as {@code canal-oci state} prints it, worked out now. */
    public ContainerState state() {
        ContainerStatus status = status();
        return new ContainerState(
                ContainerState.OCI_VERSION,
                id(),
                status,
                status == ContainerStatus.STOPPED ? 0 : pid(),
                stored.bundle(),
                stored.rootfs(),
                stored.created(),
                "",
                stored.annotations());
    }

    /** The status, worked out from the process now. */
    public ContainerStatus status() {
        if (!isAlive()) {
            return ContainerStatus.STOPPED;
        }
        if (HeldMarker.isSet(stateDirectory)) {
            return ContainerStatus.CREATED;
        }
        try {
            return cgroup().isFrozen() ? ContainerStatus.PAUSED : ContainerStatus.RUNNING;
        } catch (RuntimeException e) {
            // state holds no lock: a delete may have killed the process and removed its cgroup
            // since the first look, and then the container has stopped.
            if (!isAlive()) {
                return ContainerStatus.STOPPED;
            }
            throw e;
        }
    }

    /** Whether the first process is still the one create started (pids are reused). */
    private boolean isAlive() {
        return ProcessIdentity.startTime(stored.pid()) == stored.pidStartTime();
    }

    /**
     * Freezes every process of the running container through its cgroup (cgroup v2
     * {@code cgroup.freeze}, v1 freezer): they stop being scheduled, without a signal they could
     * see or handle, until {@link #resume}.
     */
    public void pause() {
        ContainerStatus status = status();
        if (status != ContainerStatus.RUNNING) {
            throw new ContainerException("container \"" + id() + "\" cannot be paused: it is " + status.specName());
        }
        cgroup().freeze();
    }

    /** Thaws a paused container. */
    public void resume() {
        ContainerStatus status = status();
        if (status != ContainerStatus.PAUSED) {
            throw new ContainerException("container \"" + id() + "\" cannot be resumed: it is " + status.specName());
        }
        cgroup().thaw();
    }

    /**
     * Lets the held process run the container's program. In the JVM that created the container
     * this also waits until execve(2) has happened and reports if it failed.
     *
     * <p>The startContainer hooks run first, in the container; the poststart hooks once the
     * program runs. If one of them fails, the container is killed and left stopped for
     * {@link #delete}, and this throws (runtime.md#lifecycle; runc's {@code postStart} in
     * libcontainer/container_linux.go kills it too).
     */
    public void start() {
        ContainerStatus status = status();
        if (status != ContainerStatus.CREATED) {
            throw new ContainerException("container \"" + id() + "\" cannot be started: it is " + status.specName());
        }
        LifecycleHooks hooks = LifecycleHooks.load(stateDirectory);
        if (hooks.has(HookStage.START_CONTAINER)) {
            stoppingOnFailure(() -> hooks.runInContainer(HookStage.START_CONTAINER, state(), inContainer()));
        }
        release();
        if (hooks.has(HookStage.POSTSTART)) {
            stoppingOnFailure(() -> hooks.runInRuntime(HookStage.POSTSTART, state()));
        }
    }

    private void release() {
        Duration timeout = Duration.ofMillis(RELEASE_TIMEOUT_MS);
        if (!ExecFifo.release(pid(), ExecFifo.NAME, timeout, () -> status() == ContainerStatus.STOPPED)) {
            if (spawned != null) {
                awaitExec(); // the engine knows why: a failed step or file action
            }
            throw new ContainerException("container \"" + id() + "\" exited before it could be started");
        }
        HeldMarker.clear(stateDirectory);
        if (spawned != null) {
            awaitExec();
        }
    }

    /** Runs {@code step}; if it fails, kills the container's process before throwing. */
    private void stoppingOnFailure(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException failure) {
            if (status() != ContainerStatus.STOPPED) {
                Signals.kill(pid(), linux_h.SIGKILL());
                awaitGone();
            }
            throw failure;
        }
    }

    /**
     * Where the startContainer hooks run: in the container, as its process, with its
     * capabilities, seccomp filter, working directory and environment, as runc's init runs
     * them just before it execs (libcontainer/standard_init_linux.go).
     */
    private LifecycleHooks.InContainer inContainer() {
        Spec spec = Spec.read(config());
        ProcessPlan as = SpecTranslation.process(spec, "/proc/" + pid() + "/root", Stdio.inherit(), seccompFilters());
        return new LifecycleHooks.InContainer(id(), pid(), spec.linux(), cgroup()::addProcess, as);
    }

    /** The compiled seccomp filters kept under this container's state root. */
    SeccompCache seccompFilters() {
        return SeccompCache.under(stateDirectory.getParent());
    }

    private void awaitExec() {
        try {
            spawned.exec().await(Duration.ofMillis(RELEASE_TIMEOUT_MS));
        } catch (RuntimeException e) {
            throw new ContainerException(
                    "container \"" + id() + "\": starting its program failed: " + e.getMessage(), e);
        }
    }

    /**
     * Starts another process in the running container: {@code process} is the runtime-spec
     * {@code process} to run, checked with the container's config as at create, {@code stdio}
     * its streams unless it asks for a terminal. Returns once the process runs its program; it
     * is a child of this JVM.
     */
    public ExecutedProcess exec(ProcessConfig process, Stdio stdio) {
        ContainerStatus status = status();
        if (status != ContainerStatus.RUNNING) {
            throw new ContainerException("cannot exec in container \"" + id() + "\": it is " + status.specName());
        }
        return ContainerExec.exec(this, process, stdio);
    }

    /**
     * {@link #exec(ProcessConfig, Stdio)} for a {@code process} that arrives as JSON text, as
     * runc's {@code exec --process} file does; a problem in it names the field
     * ({@code process: args: expected an array}).
     */
    public ExecutedProcess exec(String processJson, Stdio stdio) {
        return exec(SpecReader.parseProcess(processJson, "process"), stdio);
    }

    /** Sends {@code signal} to the container's first process (kill(2)); runc allows this once created. */
    public void kill(int signal) {
        ContainerStatus status = status();
        if (status == ContainerStatus.STOPPED) {
            throw new ContainerException("container \"" + id() + "\" is not running");
        }
        Signals.kill(pid(), signal);
    }

    /**
     * Sends SIGKILL or SIGTERM, the signals engines stop a container with, to the first process
     * without the container's lock and without a downcall ({@link ProcessHandleSignals}), if that
     * process is still the one create started. Returns false, having sent nothing, for any other
     * signal and for a process that is gone: the caller then takes the lock and calls
     * {@link #kill}, which signals or says why not, as before.
     *
     * <p>The lock orders a kill after the commands that change the container; a kill that finds
     * the process alive and signals it is, for them, a kill that came just before them. A delete
     * at work kills the process anyway; a start finds it dead, as after any kill. A kill that
     * finds the process gone takes the lock, so it never reports "not running" for a container a
     * delete is halfway through removing: it waits for the delete and finds it gone.
     */
    public boolean killWithoutLock(int signal) {
        return ProcessHandleSignals.send(pid(), stored.pidStartTime(), signal);
    }

    /**
     * Sends {@code signal} to every process of the container: those in its pid namespace. Pid 1
     * of a pid namespace ignores signals it has no handler for when they come from inside, but
     * not from here.
     */
    public void killAll(int signal) {
        if (status() == ContainerStatus.STOPPED) {
            throw new ContainerException("container \"" + id() + "\" is not running");
        }
        for (int member : PidNamespaceMembers.of(pid())) {
            try {
                Signals.kill(member, signal);
            } catch (SyscallException e) {
                if (e.errno() != linux_h.ESRCH()) {
                    throw e;
                }
            }
        }
    }

    /**
     * Waits for the first process to end and returns its status as a shell reports it (an exit
     * code, or 128 + signal). Only the process's parent can collect that: the JVM that created
     * the container, or a subreaper it was handed to.
     */
    public int waitForExit() {
        try {
            return Processes.waitForExit(pid());
        } catch (SyscallException e) {
            if (e.errno() == linux_h.ECHILD()) {
                throw new ContainerException(
                        "container \"" + id()
                                + "\": its process is not a child of this process, so its exit status cannot be collected here",
                        e);
            }
            throw e;
        }
    }

    /**
     * Removes the container. A created (held) container is killed first, as runc does; a running
     * one only with {@code force}. Whatever else still runs in its cgroup (a daemon that left its
     * pid namespace's first process behind, say) is killed too, then the cgroup and the state
     * directory are removed. Its mounts went with its mount namespace when its last process
     * ended. Then the poststop hooks run; one that fails is only a warning (runtime.md#lifecycle).
     */
    public void delete(boolean force) {
        ContainerStatus status = status();
        if ((status == ContainerStatus.RUNNING || status == ContainerStatus.PAUSED) && !force) {
            throw new ContainerException(
                    "container \"" + id() + "\" is " + status.specName() + ": stop it first, or delete with force");
        }
        if (status != ContainerStatus.STOPPED) {
            Signals.kill(pid(), linux_h.SIGKILL());
            if (status == ContainerStatus.PAUSED) {
                cgroup().thaw(); // a frozen process acts on SIGKILL only once thawed (v1 freezer)
            }
            awaitGone();
        }
        ContainerState stopped = state();
        LifecycleHooks hooks = LifecycleHooks.load(stateDirectory);
        Cgroup cgroup = cgroup();
        cgroup.killAll(Signals.SIGKILL); // not linux_h.SIGKILL(): its class links FFM when initialised
        cgroup.destroy();
        StateDirectories.remove(stateDirectory);
        hooks.runPoststop(stopped);
    }

    /**
     * The container's cgroup, opened from its recorded path once: the layout detection reads
     * the mount table, and {@link #status()} asks for the cgroup on every call.
     */
    public Cgroup cgroup() {
        if (cgroup == null) {
            cgroup = Cgroups.open(CgroupLayout.detect(), stored.cgroupPath());
        }
        return cgroup;
    }

    /**
     * The host pids of every process in the container's cgroup, as {@code ps} lists them: none
     * once it has stopped, unless its first process left others behind.
     */
    public List<Integer> processes() {
        return cgroup().pids();
    }

    /** Reaps the killed process if it is our child, otherwise waits until its pid is gone. */
    private void awaitGone() {
        try {
            Processes.waitForExit(pid());
        } catch (SyscallException notOurChild) {
            var backoff = new Backoff();
            while (isAlive()) {
                backoff.pause();
            }
        }
    }
}
