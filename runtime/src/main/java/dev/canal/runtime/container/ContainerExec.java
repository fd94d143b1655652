package dev.canal.runtime.container;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.ns.NamespaceType;
import dev.canal.runtime.oci.Linux;
import dev.canal.runtime.oci.ProcessConfig;
import dev.canal.runtime.oci.Spec;
import dev.canal.runtime.oci.SpecValidator;
import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.ExecFifo;
import dev.canal.runtime.spawn.NamespacePlan;
import dev.canal.runtime.spawn.ProcessPlan;
import dev.canal.runtime.spawn.SpawnedProcess;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.Processes;
import dev.canal.runtime.sys.Pseudoterminal;
import dev.canal.runtime.sys.Signals;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * {@code exec}: a new process in a running container (runtime-spec leaves exec to runtimes;
 * runc's {@code exec --process}). It joins every namespace of the container's first process
 * through /proc/PID/ns, its cgroup, and gets the container's seccomp filter, with its own
 * user, capabilities, environment, working directory and terminal.
 *
 * <p>The engine is chosen as for create ({@link EngineChoice#AUTO}): the thread engine unless
 * the container has a user namespace or a seccomp filter the spawning thread cannot take. Either
 * way the spawning thread joins the container's pid namespace first, so the process is born
 * inside it, and its mount namespace, which puts the child at the container's root: no
 * pivot_root. The child is held on an {@link ExecFifo} (a detached tmpfs that leads nowhere,
 * docs/security.md) while it is moved into the cgroup and its rlimits are set, then released
 * at once.
 */
final class ContainerExec {

    private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(10);

    private ContainerExec() {}

    /**
     * {@code process} in the container's config.json (the copy create saved), checked as a whole
     * as at create, with errors naming process fields.
     */
    static ExecutedProcess exec(Container container, ProcessConfig process, Stdio stdio) {
        Spec spec = Spec.read(container.config()).withProcess(process);
        SpecValidator.requireValid(spec, "config.json");
        int pid = container.pid();
        ProcessPlan plan = SpecTranslation.process(spec, "/proc/" + pid + "/root", stdio, container.seccompFilters());
        Pseudoterminal.Pair terminal = null;
        try {
            if (Boolean.TRUE.equals(process.terminal())) {
                terminal = ExecTerminal.open(pid);
                if (process.consoleSize() != null) {
                    Pseudoterminal.setWindowSize(
                            terminal.master(), (int) process.consoleSize().height(), (int)
                                    process.consoleSize().width());
                }
                String peer = "/dev/pts/" + Pseudoterminal.peerNumber(terminal.master());
                plan = plan.withStdio(Stdio.terminal(terminal.peer().fd(), peer));
            } else {
                plan = plan.withStdio(stdio);
            }
            int started = spawnJoined(
                    container.id(),
                    pid,
                    spec.linux(),
                    container.cgroup()::addProcess,
                    plan,
                    EngineChoice.AUTO,
                    held -> ProcessLimits.apply(held, process));
            OwnedFd master = null;
            if (terminal != null) {
                terminal.peer().close();
                master = terminal.master();
            }
            return new ExecutedProcess(started, master);
        } catch (RuntimeException failure) {
            if (terminal != null) {
                terminal.close();
            }
            throw failure;
        }
    }

    /**
     * Runs {@code plan} in every namespace of the container's first process {@code pid} and in
     * its cgroup: what {@code exec} and the hooks that run in the container share. The process
     * is held on an {@link ExecFifo} while {@code whileHeld} runs, then released. Returns its pid
     * once it runs its program; it is a child of this JVM, which must reap it. {@code engines}
     * chooses the engine: joining needs the clone engine only for a user namespace or a seccomp
     * filter, and the thread engine spares a JVM that has not cloned yet the clone engine's
     * warm-up.
     */
    static int spawnJoined(
            String id,
            int pid,
            Linux linux,
            IntConsumer joinCgroup,
            ProcessPlan plan,
            EngineChoice engines,
            IntConsumer whileHeld) {
        SpawnedProcess spawned = null;
        boolean released = false;
        try {
            NamespacePlan namespaces = joinedNamespaces(pid, linux);
            try (ExecFifo fifo = ExecFifo.create(false)) {
                spawned = engines.engineFor(namespaces, plan).spawn(namespaces, plan, null, fifo, joinCgroup);
            }
            whileHeld.accept(spawned.pid());
            int held = spawned.pid();
            released = ExecFifo.release(
                    held, ExecFifo.NAME, EXEC_TIMEOUT, () -> ProcessIdentity.startTime(held) == ProcessIdentity.GONE);
            if (!released) {
                throw new ContainerException(
                        "container \"" + id + "\": the process ended before it ran " + plan.executable());
            }
            spawned.exec().await(EXEC_TIMEOUT);
            return spawned.pid();
        } catch (RuntimeException failure) {
            // A released process that failed to exec was reaped by its engine; a held one is ours.
            if (spawned != null && !released) {
                Signals.kill(spawned.pid(), linux_h.SIGKILL());
                Processes.waitForExit(spawned.pid());
            }
            throw failure;
        }
    }

    /**
     * Every namespace the container has, by its first process's /proc/PID/ns link: the user
     * namespace first, as later joins need the capabilities it gives (setns(2)).
     */
    private static NamespacePlan joinedNamespaces(int pid, Linux linux) {
        Map<NamespaceType, String> join = new LinkedHashMap<>();
        List<Linux.Namespace> declared = linux == null ? List.of() : linux.namespaces();
        declared.stream()
                .map(namespace -> NamespaceType.fromSpecName(namespace.type()).orElseThrow())
                .sorted((a, b) -> Boolean.compare(b == NamespaceType.USER, a == NamespaceType.USER))
                .forEach(type -> join.put(type, "/proc/" + pid + "/ns/" + type.procName()));
        return new NamespacePlan(List.of(), join, Map.of(), List.of(), List.of());
    }
}
