package dev.canal.engine;

import dev.canal.bindings.linux.linux_h;
import dev.canal.engine.net.BridgeDefaults;
import dev.canal.engine.net.Networks;
import dev.canal.engine.net.SharedNetwork;
import dev.canal.images.Image;
import dev.canal.images.ImageLibrary;
import dev.canal.images.rootfs.OverlayMount;
import dev.canal.images.store.FileTrees;
import dev.canal.runtime.cgroup.CgroupStats;
import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.ContainerException;
import dev.canal.runtime.container.ContainerStatus;
import dev.canal.runtime.container.Containers;
import dev.canal.runtime.container.CreateOptions;
import dev.canal.runtime.container.StateLock;
import dev.canal.runtime.oci.SpecReader;
import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.sys.Backoff;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.OwnerOnly;
import dev.canal.runtime.sys.Pseudoterminal;
import dev.canal.runtime.sys.Signals;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Predicate;

/**
 * Docker-level containers over the runtime ({@link Containers}) and the image store
 * ({@link ImageLibrary}): the one implementation of container semantics that both fronts use,
 * {@code canald} through the Engine API and {@code canal} in-process.
 *
 * <p>A container's life: {@link #create} validates and normalizes the spec, mounts the image's
 * layers and writes the record; {@link #start} writes config.json, creates and starts the
 * runtime container with its output pumped to the json-file log and attached clients; a thread
 * per container waits for the exit, records it, unmounts and applies the restart policy;
 * {@link #stop} sends the stop signal and SIGKILL after the timeout; {@link #remove} deletes
 * everything the container had. State that must survive the process (records, names, logs,
 * run locks, stdio fifos) is in files under the data root and exec root, so a restarted daemon
 * re-adopts what still runs ({@link #restore}).
 *
 * <p>Requests on one container are serialised by a lock per container ({@link #locked});
 * requests on different containers run in parallel.
 */
public final class Engine implements AutoCloseable {

    /** How long a container's end waits for its output to drain into the log after the exit. */
    private static final long DRAIN_MILLIS = 2000;

    /**
     * Restart delays, as docker's restart manager: 100 ms after the first exit, doubling after
     * each one, at most a minute, so a container that always fails does not spin.
     */
    private static final long FIRST_RESTART_DELAY_MS = 100;

    private static final long LONGEST_RESTART_DELAY_MS = 60_000;

    /** Doublings beyond this would overflow the shift; the delay is long capped by then. */
    private static final int MOST_DOUBLINGS = 20;

    /**
     * The exit status recorded for a container whose exit this process could not see: it ended
     * while no daemon watched it, or it was re-adopted and, not being our child, cannot be
     * reaped (wait(2) works only for children).
     */
    private static final int UNKNOWN_EXIT = 255;

    /** Anonymous volumes are what {@code docker rm -v} removes with their container. */
    private static final String ANONYMOUS_VOLUME = VolumeStore.ANONYMOUS;

    /** Tries at a free generated name before numbering it: 400 names make collisions rare. */
    private static final int PLAIN_NAME_ATTEMPTS = 5;

    private final Path execRoot;
    private final ImageLibrary images;
    private final Containers runtime;
    private final ContainerStore store;
    private final VolumeStore volumes;
    private final Networks networks;
    private final Events events = new Events();

    /** The containers this process runs, by id. */
    private final Map<String, ContainerMonitor> monitors = new ConcurrentHashMap<>();

    private final Map<String, AttachHub> hubs = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, ExecSession> execs = new ConcurrentHashMap<>();

    /** {@code docker wait} callers, completed with the exit status at the next exit or at removal. */
    private final Map<String, List<CompletableFuture<Integer>>> exitWaiters = new ConcurrentHashMap<>();

    private final Map<String, List<CompletableFuture<Integer>>> removalWaiters = new ConcurrentHashMap<>();

    /** Restarts the policy has scheduled: while one is pending, the container is "restarting". */
    private final Map<String, ScheduledFuture<?>> restarts = new ConcurrentHashMap<>();

    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().daemon().name("canal-restarts").unstarted(runnable));

    private Engine(Path dataRoot, Path execRoot, BridgeDefaults bridge) {
        this.execRoot = execRoot;
        this.images = ImageLibrary.open(dataRoot);
        this.runtime = new Containers(execRoot.resolve("runtime"));
        this.store = new ContainerStore(dataRoot, images);
        this.volumes = new VolumeStore(dataRoot);
        this.networks = Networks.open(dataRoot, this.images, bridge);
    }

    /**
     * The engine of {@code dataRoot} (images, containers, volumes: dockerd's --data-root,
     * persistent) and {@code execRoot} (runtime state and stdio fifos: dockerd's --exec-root,
     * which lives on a tmpfs and goes with a reboot, as the processes do).
     */
    public static Engine open(Path dataRoot, Path execRoot) {
        return open(dataRoot, execRoot, BridgeDefaults.NONE);
    }

    /** An engine whose default {@code bridge} network is {@code bridge} (dockerd's --bridge, --bip). */
    public static Engine open(Path dataRoot, Path execRoot, BridgeDefaults bridge) {
        return new Engine(dataRoot, execRoot, bridge);
    }

    public Networks networks() {
        return this.networks;
    }

    public ImageLibrary images() {
        return images;
    }

    public VolumeStore volumes() {
        return volumes;
    }

    public Events events() {
        return events;
    }

    public Containers runtime() {
        return runtime;
    }

    public ContainerRecord find(String idOrName) {
        return store.find(idOrName);
    }

    public ContainerView inspect(String idOrName) {
        return view(find(idOrName));
    }

    /** {@code docker ps}: the running containers, or with {@code all} every one, newest first. */
    public List<ContainerView> list(boolean all) {
        return store.list().stream()
                .map(this::view)
                .filter(view -> all || view.state().running())
                .toList();
    }

    /**
     * The record with its live state, looked up rather than recorded: a container this process
     * runs; one waiting for its restart; one another process runs (its run lock is held, or the
     * runtime has its process); else created or exited, as the record says.
     */
    public ContainerView view(ContainerRecord record) {
        ContainerMonitor monitor = monitors.get(record.id());
        if (monitor != null) {
            return new ContainerView(
                    record, ContainerView.State.running(monitor.runtime().pid(), isFrozen(monitor)));
        }
        if (restarts.containsKey(record.id())) {
            return new ContainerView(record, ContainerView.State.restarting(record.exitCode()));
        }
        if (store.runHolds(record.id()) || hasProcess(record.id())) {
            int pid = 0;
            boolean paused = false;
            try {
                Container container = runtime.load(record.id());
                pid = container.pid();
                paused = container.status() == ContainerStatus.PAUSED;
            } catch (RuntimeException startingOrEnding) {
                // Its runner creates or deletes it as we look: running, pid not known yet.
            }
            return new ContainerView(record, ContainerView.State.running(pid, paused));
        }
        if (record.started() == null && record.exitCode() == null) {
            return new ContainerView(record, ContainerView.State.created());
        }
        return new ContainerView(record, ContainerView.State.exited(record.exitCode()));
    }

    private static boolean isFrozen(ContainerMonitor monitor) {
        try {
            return monitor.runtime().status() == ContainerStatus.PAUSED;
        } catch (RuntimeException ending) {
            return false;
        }
    }

    /** Whether the runtime has the container's process: created, running or paused. */
    private boolean hasProcess(String id) {
        try {
            return runtime.exists(id) && runtime.load(id).status() != ContainerStatus.STOPPED;
        } catch (RuntimeException beingDeleted) {
            return false;
        }
    }

    /** The container's directory: its bundle, record, log and overlay. */
    public Path directory(String id) {
        return store.directory(id);
    }

    public Path logPath(String id) {
        return LogFile.path(directory(id), id);
    }

    /** The log a running container writes, which followers can wait on; null if it does not run here. */
    public LogFile liveLog(String id) {
        ContainerMonitor monitor = monitors.get(id);
        return monitor == null ? null : monitor.log();
    }

    /**
     * {@code docker create}: a container of {@code spec}, named {@code name} or a generated
     * name. Its named volumes are created and its layers mounted now, as docker prepares its
     * rootfs at create; on any failure what was made is undone and the name released.
     */
    public ContainerRecord create(ContainerSpec spec, String name) {
        ContainerSetup.validate(spec);
        networks.validate(spec);
        Image image = images.find(spec.image())
                .orElseThrow(() -> new NoSuchObjectException("No such image: " + spec.image()));
        String id = ContainerStore.newId();
        String claimed = claimName(name, id);
        boolean mounted = false;
        try {
            ContainerSpec normalized = ContainerSetup.normalize(spec, image, id);
            for (String bind : normalized.host().binds()) {
                Volume volume = Volume.parse(bind);
                if (volume.isVolume()) {
                    volumes.resolve(volume);
                }
            }
            // docker run --rm: the upper directory goes with the container, so no sync for it.
            store.layers()
                    .mount(
                            image,
                            id,
                            normalized.host().autoRemove() ? OverlayMount.Upper.VOLATILE : OverlayMount.Upper.KEPT);
            mounted = true;
            ContainerRecord record = ContainerRecord.created(
                    id,
                    claimed,
                    spec.image(),
                    image.id().toString(),
                    ContainerSetup.command(normalized),
                    Instant.now().toString(),
                    normalized);
            store.write(record);
            events.publish("container", "create", id, attributes(record));
            return record;
        } catch (RuntimeException e) {
            if (mounted) {
                store.layers().remove(id);
            }
            store.releaseName(claimed);
            throw e;
        }
    }

    /**
     * Claims the given name (docker accepts it with its leading slash), or a generated one: a
     * few plain draws, then numbered ones, which cannot all be taken.
     */
    private String claimName(String name, String id) {
        if (name != null && !name.isEmpty()) {
            String wanted = name.startsWith("/") ? name.substring(1) : name;
            store.reserveName(wanted, id);
            return wanted;
        }
        for (int attempt = 0; ; attempt++) {
            String generated = ContainerNames.random() + (attempt < PLAIN_NAME_ATTEMPTS ? "" : "_" + attempt);
            if (store.claimName(generated, id)) {
                return generated;
            }
        }
    }

    /** {@code docker start}: a started container is docker's 304; a pending restart is replaced by this start. */
    public void start(String idOrName) {
        ContainerRecord record = find(idOrName);
        locked(record.id(), () -> {
            ContainerView view = view(store.read(record.id()));
            if (view.state().running() && !view.state().restarting()) {
                throw new NotModifiedException("container " + record.name() + " is already started");
            }
            cancelRestart(record.id());
            run(store.read(record.id()), 0);
        });
    }

    /**
     * Runs the container once, its {@code restarts}th restart: mounts its layers again (they are
     * unmounted between runs), makes missing bind sources, writes config.json, takes the run
     * lock, opens the log and creates and starts the runtime container. A thread then waits for
     * its exit ({@link #finish}). If anything fails, everything made for this run is undone, the
     * failure is recorded with docker's exit status and message, and StartFailedException says so.
     */
    private void run(ContainerRecord record, int restarts) {
        String id = record.id();
        ContainerSpec spec = record.specOrDefault();
        AttachHub hub = hub(id);
        Path rootfs = null;
        RunLock runLock = null;
        ContainerIo io = null;
        Container container = null;
        LogFile log = null;
        List<Path> madeSources = new ArrayList<>();
        try {
            rootfs = store.layers().remount(id);
            List<Volume> mounts = new ArrayList<>();
            for (String bind : spec.host().binds()) {
                Volume volume = Volume.parse(bind);
                if (volume.isVolume()) {
                    mounts.add(volumes.resolve(volume));
                } else {
                    madeSources.addAll(volume.createMissingSource());
                    mounts.add(volume);
                }
            }
            // A bridge network's address, ports and /etc files, before the process exists.
            mounts.addAll(networks.prepare(record, directory(id)));
            SharedNetwork.Donor sharedNetwork = null;
            String mode = networks.modeOf(spec);
            if (SharedNetwork.isShared(mode)) {
                ContainerRecord donor = networkDonor(record, SharedNetwork.donor(mode));
                sharedNetwork = new SharedNetwork.Donor(
                        "/proc/" + runningPid(donor) + "/ns/net",
                        donor.specOrDefault().hostname());
                mounts.addAll(SharedNetwork.etcFiles(directory(donor.id())));
            }
            RunConfig run = ContainerSetup.runConfig(
                    spec,
                    rootfs,
                    mounts,
                    sharedNetwork,
                    spec.host().consoleRows(),
                    spec.host().consoleColumns());
            Path bundle = directory(id);
            OwnerOnly.write(
                    bundle.resolve("config.json"), ContainerConfig.json(run).getBytes(StandardCharsets.UTF_8));
            runLock = store.holdWhileRunning(id);
            log = LogFile.open(logPath(id), LogFile.Options.of(spec.host().logOptions()));
            // The runtime's state of the previous run, if its end was not cleaned up (a crash).
            if (runtime.exists(id)) {
                runtime.load(id).delete(true);
            }
            Stdio stdio;
            if (spec.tty()) {
                // config.json asks for a terminal: the runtime makes the pseudoterminal and
                // hands back its master side (container.terminal()); these streams go unused.
                stdio = Stdio.inherit();
            } else {
                io = ContainerIo.create(execRoot.resolve("io").resolve(id), spec.openStdin());
                stdio = io.childStdio();
            }
            container = runtime.create(id, bundle, new CreateOptions(EngineChoice.AUTO, stdio));
            // The process is held before exec in its new network namespace: its veth goes in now.
            networks.connect(id, container.pid());
            if (io != null) {
                io.closeChildEnds();
            }
            ContainerMonitor monitor = ContainerMonitor.of(
                    id, container, false, container.terminal().orElse(null), io, log, runLock);
            monitors.put(id, monitor);
            // The pumps start before the program does, so its first output is not lost.
            monitor.startPumps(hub);
            try {
                container.start();
            } catch (RuntimeException e) {
                monitors.remove(id);
                throw e;
            }
            hub.connectInput(spec.openStdin() ? monitor.input() : null);
            store.write(record.startedAt(Instant.now().toString(), restarts));
            events.publish("container", "start", id, attributes(record));
            Thread.ofPlatform()
                    .daemon()
                    .name("canal-wait-" + record.shortId())
                    .start(() -> finish(monitor, waitForExit(monitor)));
        } catch (IOException | RuntimeException e) {
            int status = ExitStatus.ofFailure(e, ContainerSetup.command(spec), rootfs);
            String message = StartFailedException.dockerMessage(e, status, ContainerSetup.command(spec));
            if (container != null) {
                container.delete(true);
            }
            releaseNetwork(id);
            if (io != null) {
                io.close();
            }
            if (log != null) {
                log.close();
            }
            if (rootfs != null) {
                store.layers().unmount(id);
            }
            for (Path made : madeSources.reversed()) {
                try {
                    Files.deleteIfExists(made);
                } catch (IOException inUse) {
                    // Something was put there meanwhile: it stays.
                }
            }
            ContainerRecord current = store.read(id);
            if (current != null) {
                store.write(
                        current.exited(status, false, Instant.now().toString()).failed(message));
            }
            if (runLock != null) {
                runLock.close();
            }
            hub.endRun();
            complete(exitWaiters, id, status);
            if (spec.host().autoRemove() && current != null) {
                remove(id, true, true);
            }
            throw new StartFailedException(message, status, e);
        }
    }

    /**
     * The container's exit status. A container this process started is its child and is
     * reaped; an adopted one is not, so its end is watched for and its status is unknown.
     */
    private static int waitForExit(ContainerMonitor monitor) {
        if (!monitor.adopted()) {
            return monitor.runtime().waitForExit();
        }
        Backoff backoff = new Backoff();
        while (monitor.runtime().status() != ContainerStatus.STOPPED) {
            backoff.pause();
        }
        return UNKNOWN_EXIT;
    }

    /**
     * Records a run's end: drains the output into the log, deletes the runtime container (its
     * cgroup and state), records the exit, unmounts the layers, releases what the run held,
     * publishes "die", then applies the restart policy or {@code --rm}, and wakes the waiters.
     */
    private void finish(ContainerMonitor monitor, int status) {
        String id = monitor.id();
        monitor.awaitPumps(DRAIN_MILLIS);
        boolean oomKilled = oomKilled(monitor.runtime());
        try {
            monitor.runtime().delete(true);
        } catch (RuntimeException deletedMeanwhile) {
            // A forced remove deleted it first.
        }
        releaseNetwork(id);
        ContainerRecord record = store.read(id);
        if (record != null) {
            record = record.exited(status, oomKilled, Instant.now().toString());
            store.write(record);
            // With --rm the removal below takes the layers away, mounted or not.
            if (!record.specOrDefault().host().autoRemove()) {
                store.layers().unmount(id);
            }
        }
        monitor.release();
        monitors.remove(id);
        monitor.exit().complete(status);
        hub(id).endRun();
        if (record == null) {
            complete(exitWaiters, id, status);
            return;
        }
        if (oomKilled) {
            events.publish("container", "oom", id, attributes(record));
        }
        Map<String, String> attributes = new LinkedHashMap<>(attributes(record));
        attributes.put("exitCode", Integer.toString(status));
        events.publish("container", "die", id, attributes);
        ContainerSpec spec = record.specOrDefault();
        boolean restart = !spec.host().autoRemove()
                && spec.host().restart().restartsAfter(status, record.restartCount(), record.stoppedByHand());
        if (restart) {
            scheduleRestart(record);
        }
        complete(exitWaiters, id, status);
        if (spec.host().autoRemove()) {
            try {
                remove(id, false, true);
            } catch (NoSuchObjectException removedMeanwhile) {
                complete(removalWaiters, id, status);
            }
        }
    }

    /**
     * Whether the OOM killer killed a process of the run: the oom_kill count of its memory
     * cgroup (memory.oom_control on v1, memory.events on v2), read before the cgroup goes with
     * the container. The cgroup is made afresh for each run, so any kill is this run's.
     */
    private static boolean oomKilled(Container container) {
        try {
            return container.cgroup().oomKillCount() > 0;
        } catch (RuntimeException deletedMeanwhile) {
            return false;
        }
    }

    /** Starts the container again after the policy's delay, unless a start or stop comes first. */
    private void scheduleRestart(ContainerRecord record) {
        long delay = Math.min(
                LONGEST_RESTART_DELAY_MS, FIRST_RESTART_DELAY_MS << Math.min(MOST_DOUBLINGS, record.restartCount()));
        String id = record.id();
        restarts.put(id, scheduler.schedule(() -> restartByPolicy(id), delay, TimeUnit.MILLISECONDS));
    }

    private void restartByPolicy(String id) {
        try {
            locked(id, () -> {
                // Gone if a stop, start or remove cancelled it while we waited for the lock.
                if (restarts.remove(id) == null) {
                    return;
                }
                ContainerRecord current = store.read(id);
                if (current != null) {
                    events.publish("container", "restart", id, attributes(current));
                    run(current, current.restartCount() + 1);
                }
            });
        } catch (RuntimeException failed) {
            // run recorded the failure in the container's record; its finish schedules no
            // further restart, as the run never began.
        }
    }

    /** Cancels a pending restart; whether there was one. */
    private boolean cancelRestart(String id) {
        ScheduledFuture<?> pending = restarts.remove(id);
        if (pending == null) {
            return false;
        }
        pending.cancel(false);
        return true;
    }

    /**
     * {@code docker stop}: the container's stop signal (SIGTERM unless {@code --stop-signal}),
     * then SIGKILL if it still runs after {@code timeout} seconds (its {@code --stop-timeout},
     * docker's 10 by default; -1 waits for ever). Stopped by hand, the restart policy leaves it
     * stopped; a pending restart is cancelled. Stopping a stopped container is docker's 304.
     */
    public void stop(String idOrName, Integer timeout) {
        ContainerRecord found = find(idOrName);
        locked(found.id(), () -> {
            ContainerRecord record = store.read(found.id());
            boolean wasRestarting = cancelRestart(record.id());
            ContainerView view = view(record);
            store.write(record.stoppedByHand(true));
            if (view.state().running() && !view.state().restarting()) {
                ContainerSpec spec = record.specOrDefault();
                int seconds = timeout != null ? timeout : spec.stopSeconds();
                end(record, stopSignal(spec), seconds < 0 ? Duration.ofDays(365) : Duration.ofSeconds(seconds));
                events.publish("container", "stop", record.id(), attributes(record));
            } else if (!wasRestarting) {
                throw new NotModifiedException("container " + record.name() + " is already stopped");
            }
        });
    }

    private static int stopSignal(ContainerSpec spec) {
        return spec.stopSignal() != null && !spec.stopSignal().isEmpty()
                ? Signals.parse(spec.stopSignal())
                : linux_h.SIGTERM();
    }

    /**
     * Ends a running container: {@code signal}, and SIGKILL after {@code grace} (at once for
     * zero); returns when its end is recorded. A paused container is thawed first: a frozen
     * process cannot act on a signal until it is thawed (cgroup freezer).
     */
    private void end(ContainerRecord record, int signal, Duration grace) {
        ContainerMonitor monitor = monitors.get(record.id());
        if (monitor == null) {
            // Another process runs it: it records the end, we wait for that.
            new ContainerEnding(runtime, store).stop(record, signal, grace);
            return;
        }
        unpauseQuietly(monitor);
        if (!grace.isZero()) {
            signalQuietly(monitor, signal);
            if (awaitExit(monitor, grace)) {
                return;
            }
        }
        signalQuietly(monitor, linux_h.SIGKILL());
        monitor.exit().join();
        awaitRecorded(record.id());
    }

    /** Whether the container exited within {@code limit}. */
    private static boolean awaitExit(ContainerMonitor monitor, Duration limit) {
        try {
            monitor.exit().get(limit.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException stillRunning) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    /** Waits until {@link #finish} has let the monitor go: the end is recorded. */
    private void awaitRecorded(String id) {
        Backoff backoff = new Backoff();
        while (monitors.containsKey(id)) {
            backoff.pause();
        }
    }

    private static void signalQuietly(ContainerMonitor monitor, int signal) {
        try {
            monitor.runtime().kill(signal);
        } catch (ContainerException exitedMeanwhile) {
            // Nothing left to signal.
        }
    }

    private static void unpauseQuietly(ContainerMonitor monitor) {
        try {
            if (monitor.runtime().status() == ContainerStatus.PAUSED) {
                monitor.runtime().resume();
            }
        } catch (ContainerException exitedMeanwhile) {
            // Nothing left to thaw.
        }
    }

    /**
     * {@code docker kill}: {@code signal} (SIGKILL by default) to the container's first process.
     * A SIGKILL counts as a stop by hand, so the restart policy leaves the container stopped;
     * any other signal is the program's business, and a policy may restart it if it exits.
     */
    public void kill(String idOrName, String signal) {
        ContainerRecord record = find(idOrName);
        int number = signal != null && !signal.isEmpty() ? Signals.parse(signal) : linux_h.SIGKILL();
        locked(record.id(), () -> {
            ContainerView view = view(store.read(record.id()));
            if (!view.state().running() || view.state().restarting()) {
                throw new ConflictException(
                        "Cannot kill container: " + idOrName + ": container " + record.id() + " is not running");
            }
            if (number == linux_h.SIGKILL()) {
                store.write(store.read(record.id()).stoppedByHand(true));
            }
            ContainerMonitor monitor = monitors.get(record.id());
            if (monitor != null) {
                if (number == linux_h.SIGKILL()) {
                    unpauseQuietly(monitor);
                }
                signalQuietly(monitor, number);
            } else {
                runtime.load(record.id()).kill(number);
            }
            Map<String, String> attributes = new LinkedHashMap<>(attributes(record));
            attributes.put("signal", Integer.toString(number));
            events.publish("container", "kill", record.id(), attributes);
        });
    }

    /** {@code docker restart}: stop (if running) with the timeout, then start. */
    public void restart(String idOrName, Integer timeout) {
        ContainerRecord record = find(idOrName);
        locked(record.id(), () -> {
            try {
                stop(record.id(), timeout);
            } catch (NotModifiedException alreadyStopped) {
                // Then it only starts.
            }
            ContainerRecord stopped = store.read(record.id());
            run(stopped, stopped.restartCount());
            events.publish("container", "restart", record.id(), attributes(record));
        });
    }

    /**
     * {@code docker update}: merges {@code update} into the container's resources
     * ({@link ResourceUpdate}), writes them into its cgroup if it runs, then keeps them in its
     * record for later starts; {@code restart}, unless null, becomes its restart policy. A
     * refused or failed update changes nothing.
     */
    public void update(String idOrName, Resources update, RestartPolicy restart) {
        ContainerRecord found = find(idOrName);
        locked(found.id(), () -> {
            ContainerRecord record = store.read(found.id());
            ContainerSpec spec = record.specOrDefault();
            if (restart != null && spec.host().autoRemove() && !restart.equals(RestartPolicy.NO)) {
                throw new ConflictException(
                        "Restart policy cannot be updated because AutoRemove is enabled for the container");
            }
            Resources merged = ResourceUpdate.merge(spec.host().resources(), update);
            if (view(record).state().running()) {
                Container container = runtime.load(record.id());
                String json = ResourceUpdate.cgroupUpdate(merged, update, ContainerSetup.swapIsAccounted())
                        .toString();
                // The runtime's state lock, as canal-oci update takes it: no start or delete meanwhile.
                try (StateLock lock = container.lock(StateLock.Mode.EXCLUSIVE)) {
                    container.cgroup().update(SpecReader.parseResources(json, "update"));
                }
            }
            ContainerSpec.HostSettings host = spec.host().withResources(merged);
            store.write(record.withSpec(spec.withHost(restart == null ? host : host.withRestart(restart))));
            events.publish("container", "update", record.id(), attributes(record));
        });
    }

    /** {@code docker pause}: freezes every process of the container (its cgroup's freezer). */
    public void pause(String idOrName) {
        ContainerRecord record = find(idOrName);
        locked(record.id(), () -> {
            ContainerView view = view(record);
            if (!view.state().running()) {
                throw new ConflictException("Container " + record.id() + " is not running");
            }
            if (view.state().paused()) {
                throw new ConflictException("Container " + record.id() + " is already paused");
            }
            runtime.load(record.id()).pause();
            events.publish("container", "pause", record.id(), attributes(record));
        });
    }

    public void unpause(String idOrName) {
        ContainerRecord record = find(idOrName);
        locked(record.id(), () -> {
            if (!view(record).state().paused()) {
                throw new ConflictException("Container " + record.id() + " is not paused");
            }
            runtime.load(record.id()).resume();
            events.publish("container", "unpause", record.id(), attributes(record));
        });
    }

    /**
     * {@code docker rm}: a running container only with {@code force}, which kills it (SIGKILL,
     * no grace, as docker's rm -f). Removes the runtime's leftovers, the overlay, the directory
     * with its record and log, and the name; with {@code removeVolumes} ({@code -v}) its
     * anonymous volumes, never named ones.
     */
    public void remove(String idOrName, boolean force, boolean removeVolumes) {
        ContainerRecord found = find(idOrName);
        locked(found.id(), () -> {
            ContainerRecord record = store.read(found.id());
            if (record == null) {
                throw new NoSuchObjectException("No such container: " + idOrName);
            }
            cancelRestart(record.id());
            if (view(record).state().running()) {
                if (!force) {
                    throw new ConflictException("cannot remove container \"/" + record.name()
                            + "\": container is running: stop the container before removing or force remove");
                }
                boolean monitoredElsewhere = !monitors.containsKey(record.id());
                store.write(record.stoppedByHand(true));
                end(record, linux_h.SIGKILL(), Duration.ZERO);
                // A --rm container whose monitor is another process (canal run) is removed there once
                // it has ended: removing it here too raced that removal (umount2 EINVAL).
                if (monitoredElsewhere && record.specOrDefault().host().autoRemove() && removedElsewhere(record.id())) {
                    hubs.remove(record.id());
                    complete(this.removalWaiters, record.id(), 128 + linux_h.SIGKILL());
                    return;
                }
            }
            new ContainerEnding(runtime, store).deleteLeftovers(record);
            networks.forget(record.id());
            store.remove(record);
            if (removeVolumes) {
                removeAnonymousVolumes(record);
            }
            hubs.remove(record.id());
            execs.values().removeIf(exec -> exec.containerId().equals(record.id()));
            events.publish("container", "destroy", record.id(), attributes(record));
            complete(removalWaiters, record.id(), record.exitCode() == null ? 0 : record.exitCode());
        });
        locks.remove(found.id());
    }

    /** Whether the record of {@code id} goes within a minute, as its monitor in another process removes it. */
    private boolean removedElsewhere(String id) {
        var backoff = Backoff.until(Duration.ofMinutes(1));
        while (store.read(id) != null) {
            if (!backoff.pause()) {
                return false;
            }
        }
        return true;
    }

    /** docker network connect: at once if the container runs, else at its next start. */
    public void connect(String idOrName, String network, String ipv4Address, List<String> aliases) {
        ContainerRecord record = this.find(idOrName);
        this.locked(
                record.id(),
                () -> this.networks.connectContainer(
                        this.store.read(record.id()),
                        network,
                        ipv4Address,
                        aliases,
                        this.runningPid(record),
                        this.directory(record.id())));
    }

    /** docker network disconnect. */
    public void disconnect(String idOrName, String network) {
        ContainerRecord record = this.find(idOrName);
        this.locked(
                record.id(),
                () -> this.networks.disconnectContainer(
                        this.store.read(record.id()), network, this.runningPid(record), this.directory(record.id())));
    }

    /**
     * The running container whose network {@code --network container:NAME} joins, with moby's
     * errors (daemon/container_operations.go getNetworkedContainer): a missing one is the
     * daemon's failure, as docker does not check the name at create; a stopped one a conflict.
     */
    private ContainerRecord networkDonor(ContainerRecord record, String name) {
        ContainerRecord donor;
        try {
            donor = find(name);
        } catch (NoSuchObjectException e) {
            throw new IllegalStateException("joining network namespace of container: " + e.getMessage(), e);
        }
        if (donor.id().equals(record.id())) {
            throw new IllegalStateException("cannot join own network namespace");
        }
        ContainerView.State state = view(store.read(donor.id())).state();
        if (!state.running() || state.restarting()) {
            throw new ConflictException("cannot join network namespace of a non running container: container "
                    + donor.name() + " is " + state.status());
        }
        return donor;
    }

    private int runningPid(ContainerRecord record) {
        ContainerView.State state = this.view(this.store.read(record.id())).state();
        return state.running() ? state.pid() : 0;
    }

    private void removeAnonymousVolumes(ContainerRecord record) {
        for (String bind : record.specOrDefault().host().binds()) {
            Volume volume = Volume.parse(bind);
            boolean anonymous = volume.isVolume()
                    && volumes.inspect(volume.name())
                            .map(info -> info.labels().containsKey(ANONYMOUS_VOLUME))
                            .orElse(false);
            if (anonymous) {
                volumes.remove(volume.name());
            }
        }
    }

    /** {@code docker rename}: the new name is claimed before the old one is released. */
    public void rename(String idOrName, String newName) {
        ContainerRecord found = find(idOrName);
        String wanted = newName.startsWith("/") ? newName.substring(1) : newName;
        locked(found.id(), () -> {
            ContainerRecord record = store.read(found.id());
            if (record.name().equals(wanted)) {
                throw new ConflictException("Renaming a container with the same name as its current name");
            }
            store.reserveName(wanted, record.id());
            store.write(record.renamed(wanted));
            store.releaseName(record.name());
            Map<String, String> attributes = new LinkedHashMap<>(attributes(record.renamed(wanted)));
            attributes.put("oldName", "/" + record.name());
            events.publish("container", "rename", record.id(), attributes);
        });
    }

    /**
     * {@code docker wait --condition}: completes with the exit status when the container is
     * not running (at once if it is not), at its next exit, or when it is removed. The waiter
     * is registered before the state is looked at, so an exit in between is not missed.
     */
    public CompletableFuture<Integer> waitFor(String idOrName, String condition) {
        ContainerRecord record = find(idOrName);
        String when = condition == null || condition.isEmpty() ? "not-running" : condition;
        CompletableFuture<Integer> future = new CompletableFuture<>();
        switch (when) {
            case "removed" -> waiters(removalWaiters, record.id()).add(future);
            case "next-exit" -> waiters(exitWaiters, record.id()).add(future);
            case "not-running" -> {
                waiters(exitWaiters, record.id()).add(future);
                ContainerView view = view(store.read(record.id()));
                if (!view.state().running()) {
                    future.complete(view.state().exitCode());
                }
            }
            default ->
                throw new IllegalArgumentException(
                        "invalid condition: \"" + when + "\": use not-running, next-exit or removed");
        }
        if (!monitors.containsKey(record.id()) && view(record).state().running() && !when.equals("removed")) {
            watchElsewhere(record.id());
        }
        return future;
    }

    private static List<CompletableFuture<Integer>> waiters(
            Map<String, List<CompletableFuture<Integer>>> waiters, String id) {
        return waiters.computeIfAbsent(id, key -> new CopyOnWriteArrayList<>());
    }

    /**
     * Watches a container that another process runs: no exit reaches this one, so it looks until
     * the run lock is free and the process gone, then reads the status the runner recorded.
     */
    private void watchElsewhere(String id) {
        Thread.ofPlatform().daemon().name("canal-watch-" + id.substring(0, 12)).start(() -> {
            Backoff backoff = new Backoff();
            while (store.runHolds(id) || hasProcess(id)) {
                backoff.pause();
            }
            ContainerRecord record = store.read(id);
            complete(exitWaiters, id, record != null && record.exitCode() != null ? record.exitCode() : 0);
        });
    }

    private static void complete(Map<String, List<CompletableFuture<Integer>>> waiters, String id, int status) {
        List<CompletableFuture<Integer>> waiting = waiters.remove(id);
        if (waiting != null) {
            waiting.forEach(future -> future.complete(status));
        }
    }

    /**
     * Attaches {@code sink} to the container's output from now on (docker attach shows no
     * history: that is {@code logs}); the returned action detaches it.
     */
    public Runnable attach(String idOrName, OutputSink sink) {
        ContainerRecord record = find(idOrName);
        AttachHub hub = hub(record.id());
        hub.subscribe(sink);
        return () -> hub.unsubscribe(sink);
    }

    /** Waits for the container's run to start; its input for an attached client, or null. */
    public OwnedFd awaitInput(String id) throws InterruptedException {
        return hub(id).awaitInput();
    }

    /**
     * Closes the container's stdin pipe so that its program reads end of file: the attached
     * client's input has ended (docker's StdinOnce, as {@code docker run -i} sets it).
     */
    public void closeInput(String id) {
        ContainerMonitor monitor = monitors.get(id);
        if (monitor != null && monitor.io() != null && monitor.io().stdin != null) {
            monitor.io().stdin.close();
        }
    }

    /** {@code POST /containers/{id}/resize}: the terminal's new size (TIOCSWINSZ, which sends SIGWINCH). */
    public void resize(String idOrName, int rows, int columns) {
        ContainerRecord record = find(idOrName);
        ContainerMonitor monitor = monitors.get(record.id());
        if (monitor == null) {
            throw new ConflictException("Container " + record.id() + " is not running");
        }
        if (monitor.terminal() != null) {
            Pseudoterminal.setWindowSize(monitor.terminal(), rows, columns);
        }
    }

    private AttachHub hub(String id) {
        return hubs.computeIfAbsent(id, key -> new AttachHub());
    }

    /** {@code POST /containers/{id}/exec}: an exec instance, only in a running, unpaused container. */
    public ExecSession createExec(String idOrName, ExecSpec spec) {
        ContainerRecord record = find(idOrName);
        ContainerView view = view(record);
        if (!view.state().running()) {
            throw new ConflictException("container " + record.id() + " is not running");
        }
        if (view.state().paused()) {
            throw new ConflictException("Container " + record.id() + " is paused, unpause the container before exec");
        }
        ExecSession session = new ExecSession(ContainerStore.newId(), record.id(), spec);
        execs.put(session.id(), session);
        return session;
    }

    public ExecSession exec(String execId) {
        ExecSession session = execs.get(execId);
        if (session == null) {
            throw new NoSuchObjectException("No such exec instance: " + execId);
        }
        return session;
    }

    /** {@code POST /exec/{id}/start}: starts it once; its output goes to {@code sink}. */
    public void startExec(String execId, OutputSink sink) {
        ExecSession session = exec(execId);
        session.markStarted();
        ContainerRecord record = store.read(session.containerId());
        Container container = runtime.load(session.containerId());
        String process = ExecProcess.json(record, session.spec(), store.layers().rootfs(record.id()));
        ExecProcess.start(container, process, session, sink);
        events.publish(
                "container", "exec_start: " + String.join(" ", session.spec().cmd()), record.id(), attributes(record));
    }

    /**
     * Runs {@code action} on the container's root filesystem, for {@code docker cp}: a running
     * container's as its processes see it (/proc/PID/root, its volumes included); a stopped
     * one's layers, mounted for the action if they were not. The container's lock keeps it from
     * starting or being removed meanwhile.
     */
    public <T> T withRoot(String idOrName, RootAction<T> action) throws IOException {
        ContainerRecord record = find(idOrName);
        ReentrantLock lock = locks.computeIfAbsent(record.id(), key -> new ReentrantLock());
        lock.lock();
        try {
            ContainerView view = view(store.read(record.id()));
            if (view.state().running() && view.state().pid() > 0) {
                return action.apply(
                        Path.of("/proc", Integer.toString(view.state().pid()), "root"));
            }
            boolean mounted = store.layers().isMounted(record.id());
            Path root = store.layers().remount(record.id());
            try {
                return action.apply(root);
            } finally {
                if (!mounted) {
                    store.layers().unmount(record.id());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * {@code docker commit}: the container's changes as a new image ({@link ContainerCommit}),
     * a running container frozen meanwhile when {@code request.pause()} says so.
     */
    public Image commit(String idOrName, ContainerCommit.Request request) {
        ContainerRecord record = find(idOrName);
        ContainerView.State state = view(store.read(record.id())).state();
        boolean freeze = request.pause() && state.running() && !state.paused();
        if (freeze) {
            pause(record.id());
        }
        try {
            Image image = ContainerCommit.commit(images, record, store.layers().upper(record.id()), request);
            events.publish("container", "commit", record.id(), attributes(record));
            return image;
        } finally {
            if (freeze) {
                unpause(record.id());
            }
        }
    }

    /** {@code docker top}: the pids of the container's processes (its cgroup's). */
    public List<Integer> processes(String idOrName) {
        ContainerRecord record = find(idOrName);
        if (!view(record).state().running()) {
            throw new ConflictException("Container " + record.id() + " is not running");
        }
        return runtime.load(record.id()).processes();
    }

    /** {@code docker stats}: one reading of the running container's cgroup counters and traffic. */
    public ResourceSample stats(String id) {
        Container container = runtime.load(id);
        CgroupStats cgroup = container.cgroup().stats();
        long hostCpu = HostResources.cpuNanos();
        long memory = HostResources.memTotal();
        long limit = cgroup.memory().usage().limit();
        return new ResourceSample(
                Instant.now(),
                cgroup,
                hostCpu,
                HostResources.onlineCpus(),
                limit > 0L && limit <= memory ? limit : memory,
                NetworkCounters.of(container.pid()));
    }

    /** {@code docker container prune}: removes the containers {@code wanted} selects that are not running; their ids. */
    public List<String> prune(Predicate<ContainerRecord> wanted) {
        List<String> removed = new ArrayList<>();
        for (ContainerView view : list(true)) {
            if (view.state().running() || !wanted.test(view.record())) {
                continue;
            }
            try {
                remove(view.record().id(), false, false);
                removed.add(view.record().id());
            } catch (ConflictException | NoSuchObjectException startedOrRemovedMeanwhile) {
                // Someone else got to it first.
            }
        }
        return removed;
    }

    /**
     * At daemon start: takes back the containers that still run (their process outlived the
     * previous daemon, as with dockerd's --live-restore), records the end of those that died
     * unwatched (status {@value #UNKNOWN_EXIT}) and cleans up after them, then starts the
     * containers whose restart policy restarts them with the daemon.
     */
    public void restore() {
        for (ContainerRecord record : store.list()) {
            String id = record.id();
            if (monitors.containsKey(id) || store.runHolds(id)) {
                continue;
            }
            if (hasProcess(id)) {
                adopt(record);
            } else if (record.started() != null && record.exitCode() == null) {
                new ContainerEnding(runtime, store).deleteLeftovers(record);
                store.layers().unmount(id);
                FileTrees.delete(execRoot.resolve("io").resolve(id));
                store.write(record.exited(UNKNOWN_EXIT, false, Instant.now().toString()));
            }
        }
        networks.restore(id -> monitors.containsKey(id) || store.runHolds(id));
        for (String adopted : List.copyOf(monitors.keySet())) {
            ContainerRecord record = store.read(adopted);
            int pid = record == null ? 0 : runningPid(record);
            if (pid > 0) {
                try {
                    networks.resumeNameServer(record, pid);
                } catch (RuntimeException e) {
                    System.err.println("canald: container " + adopted + ": embedded DNS server: " + e.getMessage());
                }
            }
        }
        for (ContainerRecord record : store.list()) {
            ContainerSpec spec = record.specOrDefault();
            if (!view(record).state().running()
                    && record.started() != null
                    && spec.host().restart().restartsWithDaemon(record.stoppedByHand())) {
                try {
                    start(record.id());
                } catch (RuntimeException recordedInItsRecord) {
                    // run wrote why into the container's record; the others still start.
                }
            }
        }
    }

    /**
     * Takes back a container a previous daemon started: its run lock, its log (appended to) and,
     * without a terminal, its output fifos. A terminal's master side died with that daemon, so a
     * -t container's further output is lost, as its input is.
     */
    private void adopt(ContainerRecord record) {
        String id = record.id();
        try {
            Container container = runtime.load(id);
            RunLock runLock = store.holdWhileRunning(id);
            LogFile log = LogFile.open(
                    logPath(id),
                    LogFile.Options.of(record.specOrDefault().host().logOptions()));
            Path io = execRoot.resolve("io").resolve(id);
            ContainerIo streams = Files.exists(io.resolve("stdout")) ? ContainerIo.reopen(io) : null;
            ContainerMonitor monitor = ContainerMonitor.of(id, container, true, null, streams, log, runLock);
            monitors.put(id, monitor);
            if (streams != null) {
                monitor.startPumps(hub(id));
            }
            hub(id).connectInput(null);
            Thread.ofPlatform()
                    .daemon()
                    .name("canal-adopted-" + record.shortId())
                    .start(() -> finish(monitor, waitForExit(monitor)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot adopt container " + id + ": " + e.getMessage(), e);
        }
    }

    /**
     * The daemon is stopping (SIGTERM): pending restarts are dropped, and unless {@code
     * liveRestore} every running container is stopped with its own stop signal and timeout, all
     * at once, as dockerd does on shutdown; with it they keep running for the next daemon.
     */
    public void shutdown(boolean liveRestore) {
        restarts.keySet().forEach(this::cancelRestart);
        if (!liveRestore) {
            List<Thread> stopping = new ArrayList<>();
            for (String id : List.copyOf(monitors.keySet())) {
                stopping.add(Thread.ofPlatform().start(() -> stopForShutdown(id)));
            }
            for (Thread thread : stopping) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        scheduler.shutdownNow();
    }

    private void stopForShutdown(String id) {
        ContainerRecord record = store.read(id);
        if (record == null) {
            return;
        }
        ContainerSpec spec = record.specOrDefault();
        try {
            // Not stopped by hand: a policy of always or unless-stopped starts it with the next daemon.
            locked(id, () -> end(record, stopSignal(spec), Duration.ofSeconds(Math.max(0, spec.stopSeconds()))));
        } catch (RuntimeException endedMeanwhile) {
            // Removed or ended while we stopped the others.
        }
    }

    @Override
    public void close() {
        this.scheduler.shutdownNow();
        this.networks.close();
    }

    /** The container's endpoint released; a failure is reported, not thrown, as the container has ended anyway. */
    private void releaseNetwork(String id) {
        try {
            this.networks.release(id);
        } catch (RuntimeException e) {
            System.err.println("canal: releasing the network of container " + id + ": " + e.getMessage());
        }
    }

    /** Runs {@code action} holding container {@code id}'s lock: one request at a time per container. */
    private void locked(String id, Runnable action) {
        ReentrantLock lock = locks.computeIfAbsent(id, key -> new ReentrantLock());
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    /** An event's Actor.Attributes, as dockerd gives them: the labels, the image and the name. */
    private static Map<String, String> attributes(ContainerRecord record) {
        Map<String, String> attributes =
                new LinkedHashMap<>(record.specOrDefault().labels());
        attributes.put("image", record.image());
        attributes.put("name", record.name());
        return attributes;
    }

    /** Something done on a container's root filesystem ({@link #withRoot}). */
    @FunctionalInterface
    public interface RootAction<T> {
        T apply(Path root) throws IOException;
    }
}
