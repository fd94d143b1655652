package dev.canal.engine;

import dev.canal.bindings.linux.linux_h;
import dev.canal.engine.net.BridgeDefaults;
import dev.canal.engine.net.Networks;
import dev.canal.images.Image;
import dev.canal.images.ImageLibrary;
import dev.canal.images.store.FileTrees;
import dev.canal.runtime.cgroup.CgroupStats;
import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.ContainerException;
import dev.canal.runtime.container.ContainerStatus;
import dev.canal.runtime.container.Containers;
import dev.canal.runtime.container.CreateOptions;
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

public final class Engine implements AutoCloseable {
    private static final long DRAIN_MILLIS = 2000L;
    private static final long FIRST_RESTART_DELAY_MS = 100L;
    private static final long LONGEST_RESTART_DELAY_MS = 60000L;
    private final Path execRoot;
    private final ImageLibrary images;
    private final Containers runtime;
    private final ContainerStore store;
    private final VolumeStore volumes;
    private final Networks networks;
    private final Events events = new Events();
    private final Map<String, ContainerMonitor> monitors = new ConcurrentHashMap<>();
    private final Map<String, AttachHub> hubs = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> locks = new ConcurrentHashMap<>();
    private final Map<String, ExecSession> execs = new ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<Integer>>> exitWaiters = new ConcurrentHashMap<>();
    private final Map<String, List<CompletableFuture<Integer>>> removalWaiters = new ConcurrentHashMap<>();
    private final Map<String, ScheduledFuture<?>> restarts = new ConcurrentHashMap<>();
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(
            runnable -> Thread.ofPlatform().daemon().name("canal-restarts").unstarted(runnable));

    private Engine(Path dataRoot, Path execRoot, BridgeDefaults bridge) {
        this.execRoot = execRoot;
        this.images = ImageLibrary.open(dataRoot);
        this.runtime = new Containers(execRoot.resolve("runtime"));
        this.store = new ContainerStore(dataRoot, this.images);
        this.volumes = new VolumeStore(dataRoot);
        this.networks = Networks.open(dataRoot, this.images, bridge);
    }

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
        return this.images;
    }

    public VolumeStore volumes() {
        return this.volumes;
    }

    public Events events() {
        return this.events;
    }

    public Containers runtime() {
        return this.runtime;
    }

    public ContainerRecord find(String idOrName) {
        return this.store.find(idOrName);
    }

    public ContainerView inspect(String idOrName) {
        return this.view(this.find(idOrName));
    }

    public List<ContainerView> list(boolean all) {
        return this.store.list().stream()
                .map(this::view)
                .filter(view -> all || view.state().running())
                .toList();
    }

    public ContainerView view(ContainerRecord record) {
        ContainerMonitor monitor = this.monitors.get(record.id());
        if (monitor != null) {
            return new ContainerView(
                    record, ContainerView.State.running(monitor.runtime().pid(), isFrozen(monitor)));
        }

        if (this.restarts.containsKey(record.id())) {
            return new ContainerView(record, ContainerView.State.restarting(record.exitCode()));
        }

        if (this.store.runHolds(record.id()) || this.hasProcess(record.id())) {
            int pid = 0;
            boolean paused = false;

            try {
                Container container = this.runtime.load(record.id());
                pid = container.pid();
                paused = container.status() == ContainerStatus.PAUSED;
            } catch (RuntimeException var6) {
            }

            return new ContainerView(record, ContainerView.State.running(pid, paused));
        } else {
            return record.started() == null && record.exitCode() == null
                    ? new ContainerView(record, ContainerView.State.created())
                    : new ContainerView(record, ContainerView.State.exited(record.exitCode()));
        }
    }

    private static boolean isFrozen(ContainerMonitor monitor) {
        try {
            return monitor.runtime().status() == ContainerStatus.PAUSED;
        } catch (RuntimeException ending) {
            return false;
        }
    }

    private boolean hasProcess(String id) {
        try {
            return this.runtime.exists(id) && this.runtime.load(id).status() != ContainerStatus.STOPPED;
        } catch (RuntimeException beingDeleted) {
            return false;
        }
    }

    public Path directory(String id) {
        return this.store.directory(id);
    }

    public Path logPath(String id) {
        return LogFile.path(this.directory(id), id);
    }

    public LogFile liveLog(String id) {
        ContainerMonitor monitor = this.monitors.get(id);
        return monitor == null ? null : monitor.log();
    }

    public ContainerRecord create(ContainerSpec spec, String name) {
        ContainerSetup.validate(spec);
        this.networks.validate(spec);
        Image image = (Image) this.images
                .find(spec.image())
                .orElseThrow(() -> new NoSuchObjectException("No such image: " + spec.image()));
        String id = ContainerStore.newId();
        String claimed = this.claimName(name, id);
        boolean mounted = false;

        try {
            ContainerSpec normalized = ContainerSetup.normalize(spec, image, id);

            for (String bind : normalized.host().binds()) {
                Volume volume = Volume.parse(bind);
                if (volume.isVolume()) {
                    this.volumes.resolve(volume);
                }
            }

            this.store.layers().mount(image, id);
            mounted = true;
            ContainerRecord record = new ContainerRecord(
                    id,
                    claimed,
                    spec.image(),
                    image.id().toString(),
                    ContainerSetup.command(normalized),
                    Instant.now().toString(),
                    null,
                    null,
                    normalized,
                    null,
                    0,
                    false,
                    null);
            this.store.write(record);
            this.events.publish("container", "create", id, attributes(record));
            return record;
        } catch (RuntimeException e) {
            if (mounted) {
                this.store.layers().remove(id);
            }

            this.store.releaseName(claimed);
            throw e;
        }
    }

    private String claimName(String name, String id) {
        if (name != null && !name.isEmpty()) {
            String wanted = name.startsWith("/") ? name.substring(1) : name;
            this.store.reserveName(wanted, id);
            return wanted;
        }

        int attempt = 0;

        while (true) {
            String generated = ContainerNames.random() + (attempt < 5 ? "" : "_" + attempt);
            if (this.store.claimName(generated, id)) {
                return generated;
            }

            attempt++;
        }
    }

    public void start(String idOrName) {
        ContainerRecord record = this.find(idOrName);
        this.locked(record.id(), () -> {
            ContainerView view = this.view(this.store.read(record.id()));
            if (view.state().running() && !view.state().restarting()) {
                throw new NotModifiedException("container " + record.name() + " is already started");
            }

            this.cancelRestart(record.id());
            this.run(this.store.read(record.id()), 0);
        });
    }

    private void run(ContainerRecord record, int restarts) {
        String id = record.id();
        ContainerSpec spec = record.specOrDefault();
        AttachHub hub = this.hub(id);
        Path rootfs = null;
        RunLock runLock = null;
        ContainerIo io = null;
        Container container = null;
        LogFile log = null;
        ArrayList<Path> madeSources = new ArrayList<>();

        try {
            rootfs = this.store.layers().remount(id);
            ArrayList<Volume> mounts = new ArrayList<>();

            for (String bind : spec.host().binds()) {
                Volume volume = Volume.parse(bind);
                if (volume.isVolume()) {
                    mounts.add(this.volumes.resolve(volume));
                } else {
                    madeSources.addAll(volume.createMissingSource());
                    mounts.add(volume);
                }
            }

            // A bridge network's address, ports and /etc files, before the process exists.
            mounts.addAll(this.networks.prepare(record, this.directory(id)));
            RunConfig run = ContainerSetup.runConfig(
                    spec, rootfs, mounts, spec.host().consoleRows(), spec.host().consoleColumns());
            Path bundle = this.directory(id);
            OwnerOnly.write(
                    bundle.resolve("config.json"), ContainerConfig.json(run).getBytes(StandardCharsets.UTF_8));
            runLock = this.store.holdWhileRunning(id);
            log = LogFile.open(this.logPath(id), LogFile.Options.of(spec.host().logOptions()));
            if (this.runtime.exists(id)) {
                this.runtime.load(id).delete(true);
            }

            Stdio stdio;
            if (spec.tty()) {
                stdio = Stdio.inherit();
            } else {
                io = ContainerIo.create(this.execRoot.resolve("io").resolve(id), spec.openStdin());
                stdio = io.childStdio();
            }

            container = this.runtime.create(id, bundle, new CreateOptions(EngineChoice.AUTO, stdio));
            // The process is held before exec in its new network namespace: its veth goes in now.
            this.networks.connect(id, container.pid());
            if (io != null) {
                io.closeChildEnds();
            }

            ContainerMonitor monitor = ContainerMonitor.of(
                    id, container, false, (OwnedFd) container.terminal().orElse(null), io, log, runLock);
            this.monitors.put(id, monitor);
            monitor.startPumps(hub);

            try {
                container.start();
            } catch (RuntimeException e) {
                this.monitors.remove(id);
                throw e;
            }

            hub.connectInput(spec.openStdin() ? monitor.input() : null);
            this.store.write(record.startedAt(Instant.now().toString(), restarts));
            this.events.publish("container", "start", id, attributes(record));
            Thread.ofPlatform()
                    .daemon()
                    .name("canal-wait-" + record.shortId())
                    .start(() -> this.finish(monitor, waitForExit(monitor)));
        } catch (IOException | RuntimeException e) {
            int status = ExitStatus.ofFailure(e, ContainerSetup.command(spec), rootfs);
            String message = StartFailedException.dockerMessage(e, status, ContainerSetup.command(spec));
            if (container != null) {
                container.delete(true);
            }

            this.releaseNetwork(id);

            if (io != null) {
                io.close();
            }

            if (log != null) {
                log.close();
            }

            if (rootfs != null) {
                this.store.layers().unmount(id);
            }

            for (Path made : madeSources.reversed()) {
                try {
                    Files.deleteIfExists(made);
                } catch (IOException var18) {
                }
            }

            ContainerRecord current = this.store.read(id);
            if (current != null) {
                this.store.write(
                        current.exited(status, Instant.now().toString()).failed(message));
            }

            if (runLock != null) {
                runLock.close();
            }

            hub.endRun();
            complete(this.exitWaiters, id, status);
            if (spec.host().autoRemove() && current != null) {
                this.remove(id, true, true);
            }

            throw new StartFailedException(message, status, e);
        }
    }

    private static int waitForExit(ContainerMonitor monitor) {
        if (!monitor.adopted()) {
            return monitor.runtime().waitForExit();
        }

        Backoff backoff = new Backoff();

        while (monitor.runtime().status() != ContainerStatus.STOPPED) {
            backoff.pause();
        }

        return 255;
    }

    private void finish(ContainerMonitor monitor, int status) {
        String id = monitor.id();
        monitor.awaitPumps(2000L);

        try {
            monitor.runtime().delete(true);
        } catch (RuntimeException var10) {
        }

        this.releaseNetwork(id);

        ContainerRecord record = this.store.read(id);
        if (record != null) {
            record = record.exited(status, Instant.now().toString());
            this.store.write(record);
            if (!record.specOrDefault().host().autoRemove()) {
                this.store.layers().unmount(id);
            }
        }

        monitor.release();
        this.monitors.remove(id);
        monitor.exit().complete(status);
        this.hub(id).endRun();
        if (record == null) {
            complete(this.exitWaiters, id, status);
        } else {
            LinkedHashMap<String, String> attributes = new LinkedHashMap<>(attributes(record));
            attributes.put("exitCode", Integer.toString(status));
            this.events.publish("container", "die", id, attributes);
            ContainerSpec spec = record.specOrDefault();
            boolean restart = !spec.host().autoRemove()
                    && spec.host().restart().restartsAfter(status, record.restartCount(), record.stoppedByHand());
            if (restart) {
                this.scheduleRestart(record);
            }

            complete(this.exitWaiters, id, status);
            if (spec.host().autoRemove()) {
                try {
                    this.remove(id, false, true);
                } catch (NoSuchObjectException removedMeanwhile) {
                    complete(this.removalWaiters, id, status);
                }
            }
        }
    }

    private void scheduleRestart(ContainerRecord record) {
        long delay = Math.min(60000L, 100L << Math.min(20, record.restartCount()));
        String id = record.id();
        this.restarts.put(
                id,
                this.scheduler.schedule(
                        () -> {
                            try {
                                this.locked(id, () -> {
                                    if (this.restarts.remove(id) != null) {
                                        ContainerRecord current = this.store.read(id);
                                        if (current != null) {
                                            this.events.publish("container", "restart", id, attributes(current));
                                            this.run(current, current.restartCount() + 1);
                                        }
                                    }
                                });
                            } catch (RuntimeException var3) {
                            }
                        },
                        delay,
                        TimeUnit.MILLISECONDS));
    }

    private boolean cancelRestart(String id) {
        ScheduledFuture<?> pending = this.restarts.remove(id);
        if (pending != null) {
            pending.cancel(false);
            return true;
        } else {
            return false;
        }
    }

    public void stop(String idOrName, Integer timeout) {
        ContainerRecord found = this.find(idOrName);
        this.locked(found.id(), () -> {
            ContainerRecord record = this.store.read(found.id());
            boolean wasRestarting = this.cancelRestart(record.id());
            ContainerView view = this.view(record);
            this.store.write(record.stoppedByHand(true));
            if (view.state().running() && !view.state().restarting()) {
                ContainerSpec spec = record.specOrDefault();
                int seconds = timeout != null ? timeout : spec.stopSeconds();
                int signal = spec.stopSignal() != null && !spec.stopSignal().isEmpty()
                        ? Signals.parse(spec.stopSignal())
                        : linux_h.SIGTERM();
                this.end(record, signal, seconds < 0 ? Duration.ofDays(365L) : Duration.ofSeconds(seconds));
                this.events.publish("container", "stop", record.id(), attributes(record));
            } else if (!wasRestarting) {
                throw new NotModifiedException("container " + record.name() + " is already stopped");
            }
        });
    }

    private void end(ContainerRecord record, int signal, Duration grace) {
        ContainerMonitor monitor = this.monitors.get(record.id());
        if (monitor == null) {
            new ContainerEnding(this.runtime, this.store).stop(record, signal, grace);
        } else {
            unpauseQuietly(monitor);
            if (!grace.isZero()) {
                signalQuietly(monitor, signal);
                if (awaitExit(monitor, grace)) {
                    return;
                }
            }

            signalQuietly(monitor, linux_h.SIGKILL());
            monitor.exit().join();
            this.awaitRecorded(record.id());
        }
    }

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

    private void awaitRecorded(String id) {
        Backoff backoff = new Backoff();

        while (this.monitors.containsKey(id)) {
            backoff.pause();
        }
    }

    private static void signalQuietly(ContainerMonitor monitor, int signal) {
        try {
            monitor.runtime().kill(signal);
        } catch (ContainerException var3) {
        }
    }

    private static void unpauseQuietly(ContainerMonitor monitor) {
        try {
            if (monitor.runtime().status() == ContainerStatus.PAUSED) {
                monitor.runtime().resume();
            }
        } catch (ContainerException var2) {
        }
    }

    public void kill(String idOrName, String signal) {
        ContainerRecord record = this.find(idOrName);
        int number = signal != null && !signal.isEmpty() ? Signals.parse(signal) : linux_h.SIGKILL();
        this.locked(record.id(), () -> {
            ContainerView view = this.view(this.store.read(record.id()));
            if (view.state().running() && !view.state().restarting()) {
                if (number == linux_h.SIGKILL()) {
                    this.store.write(this.store.read(record.id()).stoppedByHand(true));
                }

                ContainerMonitor monitor = this.monitors.get(record.id());
                if (monitor != null) {
                    if (number == linux_h.SIGKILL()) {
                        unpauseQuietly(monitor);
                    }

                    signalQuietly(monitor, number);
                } else {
                    this.runtime.load(record.id()).kill(number);
                }

                LinkedHashMap<String, String> attributes = new LinkedHashMap<>(attributes(record));
                attributes.put("signal", Integer.toString(number));
                this.events.publish("container", "kill", record.id(), attributes);
            } else {
                throw new ConflictException(
                        "Cannot kill container: " + idOrName + ": container " + record.id() + " is not running");
            }
        });
    }

    public void restart(String idOrName, Integer timeout) {
        ContainerRecord record = this.find(idOrName);
        this.locked(record.id(), () -> {
            try {
                this.stop(record.id(), timeout);
            } catch (NotModifiedException var4) {
            }

            this.run(this.store.read(record.id()), this.store.read(record.id()).restartCount());
            this.events.publish("container", "restart", record.id(), attributes(record));
        });
    }

    public void pause(String idOrName) {
        ContainerRecord record = this.find(idOrName);
        this.locked(record.id(), () -> {
            ContainerView view = this.view(record);
            if (!view.state().running()) {
                throw new ConflictException("Container " + record.id() + " is not running");
            }

            if (view.state().paused()) {
                throw new ConflictException("Container " + record.id() + " is already paused");
            }

            this.runtime.load(record.id()).pause();
            this.events.publish("container", "pause", record.id(), attributes(record));
        });
    }

    public void unpause(String idOrName) {
        ContainerRecord record = this.find(idOrName);
        this.locked(record.id(), () -> {
            if (!this.view(record).state().paused()) {
                throw new ConflictException("Container " + record.id() + " is not paused");
            }

            this.runtime.load(record.id()).resume();
            this.events.publish("container", "unpause", record.id(), attributes(record));
        });
    }

    public void remove(String idOrName, boolean force, boolean removeVolumes) {
        ContainerRecord found = this.find(idOrName);
        this.locked(found.id(), () -> {
            ContainerRecord record = this.store.read(found.id());
            if (record == null) {
                throw new NoSuchObjectException("No such container: " + idOrName);
            }

            this.cancelRestart(record.id());
            ContainerView view = this.view(record);
            if (view.state().running()) {
                if (!force) {
                    throw new ConflictException("cannot remove container \"/" + record.name()
                            + "\": container is running: stop the container before removing or force remove");
                }

                this.store.write(record.stoppedByHand(true));
                this.end(record, linux_h.SIGKILL(), Duration.ZERO);
            }

            new ContainerEnding(this.runtime, this.store).deleteLeftovers(record);
            this.networks.forget(record.id());
            this.store.remove(record);
            if (removeVolumes) {
                for (String bind : record.specOrDefault().host().binds()) {
                    Volume volume = Volume.parse(bind);
                    if (volume.isVolume()
                            && this.volumes
                                    .inspect(volume.name())
                                    .map(info -> info.labels().containsKey("com.docker.volume.anonymous"))
                                    .orElse(false)) {
                        this.volumes.remove(volume.name());
                    }
                }
            }

            this.hubs.remove(record.id());
            this.execs.values().removeIf(exec -> exec.containerId().equals(record.id()));
            this.events.publish("container", "destroy", record.id(), attributes(record));
            complete(this.removalWaiters, record.id(), record.exitCode() == null ? 0 : record.exitCode());
        });
        this.locks.remove(found.id());
    }

    /** docker network connect: at once if the container runs, else at its next start. */
    public void connect(String idOrName, String network, String ipv4Address, List<String> aliases) {
        ContainerRecord record = this.find(idOrName);
        this.locked(
                record.id(),
                () -> this.networks.connectContainer(
                        this.store.read(record.id()), network, ipv4Address, aliases, this.runningPid(record)));
    }

    /** docker network disconnect. */
    public void disconnect(String idOrName, String network) {
        ContainerRecord record = this.find(idOrName);
        this.locked(record.id(), () -> this.networks.disconnectContainer(this.store.read(record.id()), network));
    }

    private int runningPid(ContainerRecord record) {
        ContainerView.State state = this.view(this.store.read(record.id())).state();
        return state.running() ? state.pid() : 0;
    }

    public void rename(String idOrName, String newName) {
        ContainerRecord found = this.find(idOrName);
        String wanted = newName.startsWith("/") ? newName.substring(1) : newName;
        this.locked(found.id(), () -> {
            ContainerRecord record = this.store.read(found.id());
            if (record.name().equals(wanted)) {
                throw new ConflictException("Renaming a container with the same name as its current name");
            }

            this.store.reserveName(wanted, record.id());
            this.store.write(record.renamed(wanted));
            this.store.releaseName(record.name());
            LinkedHashMap<String, String> attributes = new LinkedHashMap<>(attributes(record.renamed(wanted)));
            attributes.put("oldName", "/" + record.name());
            this.events.publish("container", "rename", record.id(), attributes);
        });
    }

    public CompletableFuture<Integer> waitFor(String idOrName, String condition) {
        ContainerRecord record = this.find(idOrName);
        String when = condition != null && !condition.isEmpty() ? condition : "not-running";
        CompletableFuture<Integer> future = new CompletableFuture<>();
        switch (when) {
            case "removed":
                this.removalWaiters
                        .computeIfAbsent(record.id(), id -> new CopyOnWriteArrayList<>())
                        .add(future);
                break;
            case "next-exit":
                this.exitWaiters
                        .computeIfAbsent(record.id(), id -> new CopyOnWriteArrayList<>())
                        .add(future);
                break;
            case "not-running":
                this.exitWaiters
                        .computeIfAbsent(record.id(), id -> new CopyOnWriteArrayList<>())
                        .add(future);
                ContainerView view = this.view(this.store.read(record.id()));
                if (!view.state().running()) {
                    future.complete(view.state().exitCode());
                }
                break;
            default:
                throw new IllegalArgumentException(
                        "invalid condition: \"" + when + "\": use not-running, next-exit or removed");
        }

        if (!this.monitors.containsKey(record.id()) && this.view(record).state().running() && !when.equals("removed")) {
            this.watchElsewhere(record.id());
        }

        return future;
    }

    private void watchElsewhere(String id) {
        Thread.ofPlatform().daemon().name("canal-watch-" + id.substring(0, 12)).start(() -> {
            Backoff backoff = new Backoff();

            while (this.store.runHolds(id) || this.hasProcess(id)) {
                backoff.pause();
            }

            ContainerRecord record = this.store.read(id);
            complete(this.exitWaiters, id, record != null && record.exitCode() != null ? record.exitCode() : 0);
        });
    }

    private static void complete(Map<String, List<CompletableFuture<Integer>>> waiters, String id, int status) {
        List<CompletableFuture<Integer>> waiting = waiters.remove(id);
        if (waiting != null) {
            waiting.forEach(future -> future.complete(status));
        }
    }

    public Runnable attach(String idOrName, OutputSink sink) {
        ContainerRecord record = this.find(idOrName);
        AttachHub hub = this.hub(record.id());
        hub.subscribe(sink);
        return () -> hub.unsubscribe(sink);
    }

    public OwnedFd awaitInput(String id) throws InterruptedException {
        return this.hub(id).awaitInput();
    }

    public void closeInput(String id) {
        ContainerMonitor monitor = this.monitors.get(id);
        if (monitor != null && monitor.io() != null && monitor.io().stdin != null) {
            monitor.io().stdin.close();
        }
    }

    public void resize(String idOrName, int rows, int columns) {
        ContainerRecord record = this.find(idOrName);
        ContainerMonitor monitor = this.monitors.get(record.id());
        if (monitor == null) {
            throw new ConflictException("Container " + record.id() + " is not running");
        }

        if (monitor.terminal() != null) {
            Pseudoterminal.setWindowSize(monitor.terminal(), rows, columns);
        }
    }

    private AttachHub hub(String id) {
        return this.hubs.computeIfAbsent(id, key -> new AttachHub());
    }

    public ExecSession createExec(String idOrName, ExecSpec spec) {
        ContainerRecord record = this.find(idOrName);
        ContainerView view = this.view(record);
        if (!view.state().running()) {
            throw new ConflictException("container " + record.id() + " is not running");
        }

        if (view.state().paused()) {
            throw new ConflictException("Container " + record.id() + " is paused, unpause the container before exec");
        }

        ExecSession session = new ExecSession(ContainerStore.newId(), record.id(), spec);
        this.execs.put(session.id(), session);
        return session;
    }

    public ExecSession exec(String execId) {
        ExecSession session = this.execs.get(execId);
        if (session == null) {
            throw new NoSuchObjectException("No such exec instance: " + execId);
        } else {
            return session;
        }
    }

    public void startExec(String execId, OutputSink sink) {
        ExecSession session = this.exec(execId);
        session.markStarted();
        ContainerRecord record = this.store.read(session.containerId());
        Container container = this.runtime.load(session.containerId());
        String process =
                ExecProcess.json(record, session.spec(), this.store.layers().rootfs(record.id()));
        ExecProcess.start(container, process, session, sink);
        this.events.publish(
                "container", "exec_start: " + String.join(" ", session.spec().cmd()), record.id(), attributes(record));
    }

    public <T> T withRoot(String idOrName, Engine.RootAction<T> action) throws IOException {
        ContainerRecord record = this.find(idOrName);
        ReentrantLock lock = this.locks.computeIfAbsent(record.id(), key -> new ReentrantLock());
        lock.lock();

        try {
            ContainerView view = this.view(this.store.read(record.id()));
            if (view.state().running() && view.state().pid() > 0) {
                return action.apply(
                        Path.of("/proc", Integer.toString(view.state().pid()), "root"));
            }

            boolean mounted = this.store.layers().isMounted(record.id());
            Path root = this.store.layers().remount(record.id());

            try {
                return action.apply(root);
            } finally {
                if (!mounted) {
                    this.store.layers().unmount(record.id());
                }
            }
        } finally {
            lock.unlock();
        }
    }

    public List<Integer> processes(String idOrName) {
        ContainerRecord record = this.find(idOrName);
        if (!this.view(record).state().running()) {
            throw new ConflictException("Container " + record.id() + " is not running");
        } else {
            return this.runtime.load(record.id()).processes();
        }
    }

    public CgroupStats stats(String id) {
        return this.runtime.load(id).cgroup().stats();
    }

    public List<String> prune() {
        ArrayList<String> removed = new ArrayList<>();

        for (ContainerView view : this.list(true)) {
            if (!view.state().running()) {
                try {
                    this.remove(view.record().id(), false, false);
                    removed.add(view.record().id());
                } catch (ConflictException | NoSuchObjectException var5) {
                }
            }
        }

        return removed;
    }

    public void restore() {
        for (ContainerRecord record : this.store.list()) {
            String id = record.id();
            if (!this.monitors.containsKey(id) && !this.store.runHolds(id)) {
                if (this.hasProcess(id)) {
                    this.adopt(record);
                } else if (record.started() != null && record.exitCode() == null) {
                    new ContainerEnding(this.runtime, this.store).deleteLeftovers(record);
                    this.store.layers().unmount(id);
                    FileTrees.delete(this.execRoot.resolve("io").resolve(id));
                    this.store.write(record.exited(255, Instant.now().toString()));
                }
            }
        }

        this.networks.restore(id -> this.monitors.containsKey(id) || this.store.runHolds(id));

        for (ContainerRecord record : this.store.list()) {
            ContainerSpec spec = record.specOrDefault();
            if (!this.view(record).state().running()
                    && record.started() != null
                    && spec.host().restart().restartsWithDaemon(record.stoppedByHand())) {
                try {
                    this.start(record.id());
                } catch (RuntimeException var5) {
                }
            }
        }
    }

    private void adopt(ContainerRecord record) {
        String id = record.id();

        try {
            Container container = this.runtime.load(id);
            RunLock runLock = this.store.holdWhileRunning(id);
            LogFile log = LogFile.open(
                    this.logPath(id),
                    LogFile.Options.of(record.specOrDefault().host().logOptions()));
            Path io = this.execRoot.resolve("io").resolve(id);
            ContainerIo streams = Files.exists(io.resolve("stdout")) ? ContainerIo.reopen(io) : null;
            ContainerMonitor monitor = ContainerMonitor.of(id, container, true, null, streams, log, runLock);
            this.monitors.put(id, monitor);
            if (streams != null) {
                monitor.startPumps(this.hub(id));
            }

            this.hub(id).connectInput(null);
            Thread.ofPlatform()
                    .daemon()
                    .name("canal-adopted-" + record.shortId())
                    .start(() -> this.finish(monitor, waitForExit(monitor)));
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot adopt container " + id + ": " + e.getMessage(), e);
        }
    }

    public void shutdown(boolean liveRestore) {
        this.restarts.keySet().forEach(this::cancelRestart);
        if (!liveRestore) {
            List<Thread> stopping = new ArrayList<>();

            for (String id : List.copyOf(this.monitors.keySet())) {
                stopping.add(Thread.ofPlatform().start(() -> {
                    ContainerRecord record = this.store.read(id);
                    if (record != null) {
                        ContainerSpec spec = record.specOrDefault();
                        int signal =
                                spec.stopSignal() != null && !spec.stopSignal().isEmpty()
                                        ? Signals.parse(spec.stopSignal())
                                        : linux_h.SIGTERM();

                        try {
                            this.locked(
                                    id,
                                    () -> this.end(
                                            record, signal, Duration.ofSeconds(Math.max(0, spec.stopSeconds()))));
                        } catch (RuntimeException var6x) {
                        }
                    }
                }));
            }

            for (Thread thread : stopping) {
                try {
                    thread.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        this.scheduler.shutdownNow();
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

    private void locked(String id, Runnable action) {
        ReentrantLock lock = this.locks.computeIfAbsent(id, key -> new ReentrantLock());
        lock.lock();

        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }

    private static Map<String, String> attributes(ContainerRecord record) {
        LinkedHashMap<String, String> attributes = new LinkedHashMap<>();
        attributes.putAll(record.specOrDefault().labels());
        attributes.put("image", record.image());
        attributes.put("name", record.name());
        return attributes;
    }

    @FunctionalInterface
    public interface RootAction<T> {
        T apply(Path var1) throws IOException;
    }
}
