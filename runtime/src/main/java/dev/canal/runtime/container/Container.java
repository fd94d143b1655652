package dev.canal.runtime.container;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.spawn.ExecFifo;
import dev.canal.runtime.spawn.SpawnedProcess;
import dev.canal.runtime.sys.Processes;
import dev.canal.runtime.sys.Signals;
import dev.canal.runtime.sys.SyscallException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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

    Container(Path stateDirectory, StoredState stored, SpawnedProcess spawned) {
        this.stateDirectory = stateDirectory;
        this.stored = stored;
        this.spawned = spawned;
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

    /** The engine that created the first process: "thread" or "clone". */
    public String engine() {
        return stored.engine();
    }

    public Map<String, String> annotations() {
        return stored.annotations();
    }

    /** The status, worked out from the process now. */
    public ContainerStatus status() {
        if (ProcessIdentity.startTime(stored.pid()) != stored.pidStartTime()) {
            return ContainerStatus.STOPPED;
        }
        return Files.exists(stateDirectory.resolve(ExecFifo.NAME)) ? ContainerStatus.CREATED : ContainerStatus.RUNNING;
    }

    /**
     * Lets the held process run the container's program. In the JVM that created the container
     * this also waits until execve(2) has happened and reports if it failed.
     */
    public void start() {
        ContainerStatus status = status();
        if (status != ContainerStatus.CREATED) {
            throw new ContainerException("container \"" + id() + "\" cannot be started: it is " + status.specName());
        }
        long deadline = System.currentTimeMillis() + RELEASE_TIMEOUT_MS;
        while (!ExecFifo.release(stateDirectory)) {
            // Not at the FIFO yet (its setup is still running), or gone.
            if (status() == ContainerStatus.STOPPED || System.currentTimeMillis() > deadline) {
                throw new ContainerException("container \"" + id() + "\" exited before it could be started");
            }
            Thread.onSpinWait();
        }
        try {
            Files.deleteIfExists(stateDirectory.resolve(ExecFifo.NAME));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        if (spawned != null) {
            awaitExec();
        }
    }

    private void awaitExec() {
        try {
            spawned.exec().get(RELEASE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new ContainerException("container \"" + id() + "\": starting its program failed: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ContainerException("interrupted while starting container \"" + id() + "\"", e);
        } catch (TimeoutException e) {
            throw new ContainerException("container \"" + id() + "\" did not exec within " + RELEASE_TIMEOUT_MS + " ms", e);
        }
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
     * Waits for the first process to end and returns its status as a shell reports it (an exit
     * code, or 128 + signal). Only the process's parent can collect that: the JVM that created
     * the container, or a subreaper it was handed to.
     */
    public int waitForExit() {
        try {
            return Processes.waitForExit(pid());
        } catch (SyscallException e) {
            if (e.errno() == linux_h.ECHILD()) {
                throw new ContainerException("container \"" + id() + "\": its process is not a child of this process, so its exit status cannot be collected here", e);
            }
            throw e;
        }
    }

    /**
     * Removes the container. A created (held) container is killed first, as runc does; a running
     * one only with {@code force}. Its mounts went with its mount namespace when its last
     * process ended; what remains is the state directory.
     */
    public void delete(boolean force) {
        ContainerStatus status = status();
        if (status == ContainerStatus.RUNNING && !force) {
            throw new ContainerException("container \"" + id() + "\" is running: stop it first, or delete with force");
        }
        if (status != ContainerStatus.STOPPED) {
            Signals.kill(pid(), linux_h.SIGKILL());
            awaitGone();
        }
        StateDirectories.remove(stateDirectory);
    }

    /** Reaps the killed process if it is our child, otherwise waits until its pid is gone. */
    private void awaitGone() {
        try {
            Processes.waitForExit(pid());
        } catch (SyscallException notOurChild) {
            while (ProcessIdentity.startTime(pid()) == stored.pidStartTime()) {
                Thread.onSpinWait();
            }
        }
    }
}
