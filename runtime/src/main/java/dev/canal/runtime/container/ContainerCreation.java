package dev.canal.runtime.container;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.cgroup.Cgroup;
import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.cgroup.Cgroups;
import dev.canal.runtime.oci.Linux;
import dev.canal.runtime.oci.Spec;
import dev.canal.runtime.oci.SpecValidator;
import dev.canal.runtime.rootfs.RootfsPlan;
import dev.canal.runtime.spawn.ExecFifo;
import dev.canal.runtime.spawn.NamespacePlan;
import dev.canal.runtime.spawn.ProcessPlan;
import dev.canal.runtime.spawn.SpawnEngine;
import dev.canal.runtime.spawn.SpawnedProcess;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.Processes;
import dev.canal.runtime.sys.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
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

    private ContainerCreation() {}

    static Container create(Path stateDirectory, String id, Path bundle, CreateOptions options) {
        Path absoluteBundle = bundle.toAbsolutePath().normalize();
        Path config = absoluteBundle.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new ContainerException("bundle " + absoluteBundle + ": no config.json");
        }
        Spec spec = Spec.read(config);
        SpecValidator.requireValid(spec, "config.json");
        SecurityModules.requireNoneAsked(spec.process());
        NamespacePlan namespaces = SpecTranslation.namespaces(spec);
        RootfsPlan rootfs = SpecTranslation.rootfs(spec, absoluteBundle);
        ProcessPlan process = SpecTranslation.process(spec, rootfs.rootfs(), options.stdio());
        SpawnEngine engine = options.engine().engineFor(namespaces, process);

        makeStateDirectory(stateDirectory, id);
        SpawnedProcess spawned = null;
        Cgroup cgroup = null;
        OwnedFd terminal = null;
        try {
            ExecFifo.create(stateDirectory);
            Linux linux = spec.linux();
            cgroup = Cgroups.create(CgroupLayout.detect(), linux == null ? null : linux.cgroupsPath(), id,
                    linux == null ? null : linux.resources());
            spawned = engine.spawn(namespaces, process, rootfs, stateDirectory, cgroup::addProcess);
            terminal = NamespaceSetup.run(spawned.pid(), spec, namespaces, rootfs, spawned.mountedProc());
            var stored = new StoredState(id, spawned.pid(), ProcessIdentity.startTime(spawned.pid()),
                    absoluteBundle.toString(), rootfs.rootfs(), Instant.now().toString(), spec.annotations(), engine.name(),
                    cgroup.path());
            stored.write(stateDirectory);
            return new Container(stateDirectory, stored, spawned, terminal);
        } catch (RuntimeException failure) {
            if (terminal != null) {
                terminal.close();
            }
            undo(stateDirectory, spawned, cgroup);
            throw failure;
        }
    }

    private static void makeStateDirectory(Path stateDirectory, String id) {
        try {
            Files.createDirectories(stateDirectory.getParent());
            Files.createDirectory(stateDirectory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx--x--x")));
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
