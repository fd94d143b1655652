package dev.canal.runtime.container;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.cgroup.Cgroup;
import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.cgroup.Cgroups;
import dev.canal.runtime.ns.CgroupNamespaceRoot;
import dev.canal.runtime.ns.NamespaceType;
import dev.canal.runtime.oci.Linux;
import dev.canal.runtime.oci.Spec;
import dev.canal.runtime.oci.SpecValidator;
import dev.canal.runtime.rootfs.RootfsPlan;
import dev.canal.runtime.seccomp.SeccompCache;
import dev.canal.runtime.spawn.ExecFifo;
import dev.canal.runtime.spawn.NamespacePlan;
import dev.canal.runtime.spawn.ProcessPlan;
import dev.canal.runtime.spawn.SpawnEngine;
import dev.canal.runtime.spawn.SpawnedProcess;
import dev.canal.runtime.spawn.ThreadEngine;
import dev.canal.runtime.sys.Backoff;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.OwnerOnly;
import dev.canal.runtime.sys.Processes;
import dev.canal.runtime.sys.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;

/**
 * {@code create}: everything up to the held first process, or nothing at all.
 *
 * <p>The order keeps failures cheap: the config is read, validated and resolved (rootfs,
 * program, seccomp filter) before anything exists on the host; then the state directory and
 * FIFO; the cgroup (its limits are validated before it is made); the process in its namespaces,
 * moved into the cgroup while it is held, before it runs anything of the container's; then the
 * namespaces are set up from outside. If any step fails, the process is killed and reaped, the
 * cgroup and the state directory removed. The mounts need no undoing: they
 * live in the container's mount namespace, which the kernel frees with its last process.
 */
final class ContainerCreation {

    /** From the console FIFO's release to the process's open of its terminal: a few system calls. */
    private static final Duration CONSOLE_OPENED = Duration.ofSeconds(10);

    private ContainerCreation() {}

    static Container create(Path stateDirectory, String id, Path bundle, CreateOptions options) {
        Path absoluteBundle = bundle.toAbsolutePath().normalize();
        Path config = absoluteBundle.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new ContainerException("bundle " + absoluteBundle + ": no config.json");
        }
        byte[] configJson = readConfig(config);
        Spec spec = Spec.parse(new String(configJson, StandardCharsets.UTF_8));
        SpecValidator.requireValid(spec, "config.json");
        SecurityModules.requireNoneAsked(spec.process());
        NamespacePlan namespaces = SpecTranslation.namespaces(spec);
        RootfsPlan rootfs = SpecTranslation.rootfs(spec, absoluteBundle, id);
        ProcessPlan process = SpecTranslation.process(
                spec, rootfs.rootfs(), options.stdio(), SeccompCache.under(stateDirectory.getParent()));
        SpawnEngine engine = options.engine().engineFor(namespaces, process);

        LifecycleHooks hooks = new LifecycleHooks(spec.hooks());
        String created = Instant.now().toString();
        var stopped = new ContainerState(
                ContainerState.OCI_VERSION,
                id,
                ContainerStatus.STOPPED,
                0,
                absoluteBundle.toString(),
                rootfs.rootfs(),
                created,
                "",
                spec.annotations());
        makeStateDirectory(stateDirectory, id);
        CreationRecord record = CreationRecord.begin(stateDirectory);
        SpawnedProcess spawned = null;
        Cgroup cgroup = null;
        OwnedFd terminal = null;
        OwnedFd[] cgroupNamespace = new OwnedFd[1];
        try {
            hooks.save(stateDirectory);
            SavedConfig.write(stateDirectory, configJson);
            HeldMarker.set(stateDirectory);
            Linux linux = spec.linux();
            CgroupLayout layout = CgroupLayout.detect();
            boolean jvmMakesCgroupNamespace =
                    engine instanceof ThreadEngine && namespaces.creates(NamespaceType.CGROUP);
            cgroup = Cgroups.create(
                    layout,
                    linux == null ? null : linux.cgroupsPath(),
                    id,
                    linux == null ? null : DefaultDevices.addTo(linux.resources(), linux),
                    made -> {
                        if (jvmMakesCgroupNamespace) {
                            cgroupNamespace[0] = CgroupNamespaceRoot.create(made, layout);
                        }
                    });
            record.cgroupCreated(cgroup);
            NamespacePlan entered = cgroupNamespace[0] == null
                    ? namespaces
                    : namespaces.joining(NamespaceType.CGROUP, "/proc/self/fd/" + cgroupNamespace[0].fd());
            // The FIFOs' tmpfs lives on as the held process's working directory.
            try (ExecFifo fifo = ExecFifo.create(process.terminal())) {
                spawned = engine.spawn(entered, process, rootfs, fifo, record.joiningCgroup(cgroup));
            }
            CrashPoint.PROCESS_HELD.reached();
            int pid = spawned.pid();
            ContainerState creating = stopped.at(ContainerStatus.CREATING, pid);
            var inContainer = new LifecycleHooks.InContainer(
                    id, pid, linux, cgroup::addProcess, LifecycleHooks.asRuntimeRoot(rootfs.rootfs()));
            terminal = NamespaceSetup.run(
                    pid,
                    spec,
                    namespaces,
                    rootfs,
                    spawned.mountedProc(),
                    () -> hooks.runAtCreate(creating, inContainer));
            if (process.terminal()) {
                SpawnedProcess held = spawned;
                if (!ExecFifo.release(pid, ExecFifo.CONSOLE_NAME, CONSOLE_OPENED, () -> isGone(held))) {
                    held.exec().await(CONSOLE_OPENED); // the engine knows why: a failed step or file action
                    throw new ContainerException("the container's process ended before it opened " + process.console());
                }
                awaitConsoleOpened(spawned, process.console(), terminal);
            }
            long startTime = ProcessIdentity.startTime(spawned.pid());
            if (startTime == ProcessIdentity.GONE) {
                throw new ContainerException("container \"" + id + "\": its process ended while it was being created");
            }
            var stored = new StoredState(
                    id,
                    spawned.pid(),
                    startTime,
                    absoluteBundle.toString(),
                    rootfs.rootfs(),
                    created,
                    spec.annotations(),
                    engine.name(),
                    cgroup.path());
            CrashPoint.STATE_FILE.reached();
            stored.write(stateDirectory);
            return new Container(stateDirectory, stored, spawned, terminal);
        } catch (RuntimeException failure) {
            if (terminal != null) {
                terminal.close();
            }
            undo(stateDirectory, spawned, cgroup);
            // A create that fails goes on at the lifecycle's destroy step and its poststop hooks
            // (runtime.md#lifecycle), as runc's destroy does.
            hooks.runPoststop(stopped);
            throw failure;
        } finally {
            if (cgroupNamespace[0] != null) {
                cgroupNamespace[0].close(); // the process has joined it, or is gone
            }
            record.close();
        }
    }

    /**
     * Waits until the released process has its terminal as its standard input: from then on the
     * terminal's peer is open and its master may be handed out (a master whose peer nobody has
     * open reads EIO, and closing it would hang the session up).
     */
    private static void awaitConsoleOpened(SpawnedProcess spawned, String console, OwnedFd master) {
        var backoff = Backoff.until(CONSOLE_OPENED);
        while (!ConsoleOpened.by(spawned.pid(), console, master)) {
            if (isGone(spawned)) {
                // The engine knows why: a failed step or file action.
                spawned.exec().await(CONSOLE_OPENED);
                throw new ContainerException("the container's process ended before it opened " + console);
            }
            if (!backoff.pause()) {
                throw new ContainerException(
                        "the container's process did not open " + console + " within " + CONSOLE_OPENED);
            }
        }
    }

    /** Gone, or a zombie: a child whose step failed exits, and stays one until reaped. */
    private static boolean isGone(SpawnedProcess spawned) {
        return ProcessIdentity.startTime(spawned.pid()) == ProcessIdentity.GONE;
    }

    private static byte[] readConfig(Path config) {
        try {
            return Files.readAllBytes(config);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The state root is owner-only (0700, as runc's; an existing wider one is tightened), and
     * each container's directory in it 0711, as runc's.
     */
    private static void makeStateDirectory(Path stateDirectory, String id) {
        try {
            OwnerOnly.directory(stateDirectory.getParent());
            Files.createDirectory(
                    stateDirectory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
        } catch (FileAlreadyExistsException e) {
            throw new ContainerException("container \"" + id + "\" already exists");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void undo(Path stateDirectory, SpawnedProcess spawned, Cgroup cgroup) {
        if (spawned != null) {
            Signals.kill(spawned.pid(), linux_h.SIGKILL());
            Processes.waitForExit(spawned.pid());
        }
        if (cgroup != null) {
            cgroup.destroy();
        }
        StateDirectories.remove(stateDirectory);
    }
}
