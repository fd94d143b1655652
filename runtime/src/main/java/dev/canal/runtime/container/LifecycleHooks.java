package dev.canal.runtime.container;

import dev.canal.runtime.oci.Hooks;
import dev.canal.runtime.oci.Hooks.Hook;
import dev.canal.runtime.oci.Linux;
import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Privileges;
import dev.canal.runtime.spawn.ProcessPlan;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.sys.OwnerOnly;
import dev.canal.runtime.sys.PosixSpawn;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * A container's hooks (config.md#posix-platform-hooks) and how each stage is run
 * (runtime.md#lifecycle): one after the other, in order, each given the container's state on
 * standard input ({@link HookCommand}); the first that fails stops the stage.
 *
 * <p>Hooks that run in the runtime's namespaces are spawned with posix_spawn(3) by the calling
 * thread, which must be one of the runtime's own: {@code path} as execv(3) takes it (no PATH
 * search), {@code args} as argv, argv[0] included. Hooks that run in the container's namespaces
 * are started the way {@code exec} starts a process ({@link ContainerExec#spawnJoined}): born in
 * its pid namespace, in its other namespaces and its cgroup.
 *
 * <p>A hook without {@code env} gets the runtime's environment, as Go's exec.Cmd gives runc's
 * hooks, except startContainer, which gets the container process's (runc's SetDefaultEnv).
 * No hook gets a descriptor other than its three standard streams.
 *
 * <p>The hooks are kept in the state directory ({@value #FILE}) from create on: start and
 * delete may run in other processes, and delete after the bundle is gone.
 */
final class LifecycleHooks {

    static final String FILE = "hooks.json";

    private final Hooks hooks;

    LifecycleHooks(Hooks hooks) {
        this.hooks = hooks == null ? Hooks.none() : hooks;
    }

    /**
     * Where and as whom hooks in the container run: in the namespaces of its first process
     * {@code pid} and its cgroup, with the user, capabilities, seccomp filter and working
     * directory of {@code as}, and its environment for hooks without one.
     */
    record InContainer(String id, int pid, Linux linux, IntConsumer joinCgroup, ProcessPlan as) {}

    /** The hooks saved in {@code stateDirectory}; none if it has none. */
    static LifecycleHooks load(Path stateDirectory) {
        Path file = stateDirectory.resolve(FILE);
        if (!Files.exists(file)) {
            return new LifecycleHooks(null);
        }
        try {
            return new LifecycleHooks(Hooks.parse(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void save(Path stateDirectory) {
        if (List.of(HookStage.values()).stream().noneMatch(this::has)) {
            return;
        }
        // Owner-only: a hook's environment may carry secrets, as the container's does.
        OwnerOnly.write(stateDirectory.resolve(FILE), hooks.toJson().getBytes(StandardCharsets.UTF_8));
    }

    boolean has(HookStage stage) {
        return !stage.of(hooks).isEmpty();
    }

    /**
     * The credentials of a createContainer hook: those of runc's init when it runs them, root
     * with the runtime's capabilities, in {@code cwd} (runc's init has changed into the rootfs).
     */
    static ProcessPlan asRuntimeRoot(String cwd) {
        return new ProcessPlan(
                null,
                List.of(),
                runtimeEnvironment(),
                cwd,
                0,
                0,
                new int[0],
                -1,
                new Privileges(null, false, null),
                Stdio.inherit(),
                null);
    }

    /** The stages create runs once the mounts are made: prestart, createRuntime, createContainer. */
    void runAtCreate(ContainerState creating, InContainer container) {
        runInRuntime(HookStage.PRESTART, creating);
        runInRuntime(HookStage.CREATE_RUNTIME, creating);
        runInContainer(HookStage.CREATE_CONTAINER, creating, container);
    }

    /** Runs {@code stage} in the runtime's namespaces. */
    void runInRuntime(HookStage stage, ContainerState state) {
        run(stage, state, LifecycleHooks::spawnInRuntime);
    }

    /** Runs {@code stage} in the container's namespaces and cgroup. */
    void runInContainer(HookStage stage, ContainerState state, InContainer container) {
        ProcessPlan as = container.as();
        run(stage, state, (hook, stdio) -> {
            var plan = new ProcessPlan(
                    hook.path(),
                    argv(hook),
                    hook.env().isEmpty() ? as.env() : hook.env(),
                    as.cwd(),
                    as.uid(),
                    as.gid(),
                    as.groups(),
                    as.umask(),
                    as.privileges(),
                    stdio,
                    null);
            return ContainerExec.spawnJoined(
                    container.id(),
                    container.pid(),
                    container.linux(),
                    container.joinCgroup(),
                    plan,
                    EngineChoice.AUTO,
                    held -> {});
        });
    }

    /**
     * Runs the poststop hooks; a failure is only a warning on standard error, and the rest
     * still run (runtime.md#lifecycle, step 13).
     */
    void runPoststop(ContainerState stopped) {
        List<Hook> poststop = HookStage.POSTSTOP.of(hooks);
        for (int i = 0; i < poststop.size(); i++) {
            try {
                HookCommand.run(HookStage.POSTSTOP, i, poststop.get(i), stopped, LifecycleHooks::spawnInRuntime);
            } catch (RuntimeException e) {
                System.err.println("warning: container \"" + stopped.id() + "\": " + e.getMessage());
            }
        }
    }

    private void run(HookStage stage, ContainerState state, HookCommand.Launcher launcher) {
        List<Hook> list = stage.of(hooks);
        for (int i = 0; i < list.size(); i++) {
            HookCommand.run(stage, i, list.get(i), state, launcher);
        }
    }

    /** A child of the calling thread, which must be one of the runtime's own, in its namespaces. */
    private static int spawnInRuntime(Hook hook, Stdio stdio) {
        try (var spawn = new PosixSpawn()) {
            return spawn.dup2(stdio.in(), 0)
                    .dup2(stdio.out(), 1)
                    .dup2(stdio.err(), 2)
                    .closeFrom(3)
                    .defaultSignals()
                    .spawn(hook.path(), argv(hook), hook.env().isEmpty() ? runtimeEnvironment() : hook.env());
        }
    }

    /** execv(3)'s argv: {@code args} as given; without them, the path alone, as Go's exec.Cmd does. */
    private static List<String> argv(Hook hook) {
        return hook.args().isEmpty() ? List.of(hook.path()) : hook.args();
    }

    private static List<String> runtimeEnvironment() {
        return System.getenv().entrySet().stream()
                .map(variable -> variable.getKey() + "=" + variable.getValue())
                .toList();
    }
}
