package dev.canal.engine.build;

import dev.canal.images.manifest.ImageConfig.Healthcheck;
import dev.canal.images.manifest.ImageConfig.RunConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A build stage's image config as its instructions change it: each metadata instruction sets
 * one field, as the classic builder's dispatchers do (moby builder/dockerfile/dispatchers.go).
 * The same rules serve {@code docker commit --change}.
 */
final class ImageSettings {

    /** The shell of RUN, CMD and ENTRYPOINT in shell form when no SHELL says otherwise. */
    static final List<String> DEFAULT_SHELL = List.of("/bin/sh", "-c");

    private String user;
    private Map<String, Object> exposedPorts;
    private List<String> env;
    private List<String> entrypoint;
    private List<String> cmd;
    private Map<String, Object> volumes;
    private String workingDir;
    private Map<String, String> labels;
    private String stopSignal;
    private Healthcheck healthcheck;
    private List<String> onBuild;
    private List<String> shell;

    /** Whether this stage set CMD: an ENTRYPOINT then keeps it, else clears the inherited one. */
    private boolean cmdSet;

    ImageSettings(RunConfig run) {
        RunConfig from = run == null ? RunConfig.EMPTY : run;
        user = from.user();
        exposedPorts = copy(from.exposedPorts());
        env = from.env() == null ? new ArrayList<>() : new ArrayList<>(from.env());
        entrypoint = from.entrypoint();
        cmd = from.cmd();
        volumes = copy(from.volumes());
        workingDir = from.workingDir();
        labels = copy(from.labels());
        stopSignal = from.stopSignal();
        healthcheck = from.healthcheck();
        // A child image does not inherit its parent's triggers: they ran when it was built.
        onBuild = null;
        shell = from.shell();
    }

    private static <V> Map<String, V> copy(Map<String, V> map) {
        return map == null ? null : new LinkedHashMap<>(map);
    }

    RunConfig toRunConfig() {
        return new RunConfig(
                user,
                exposedPorts,
                env.isEmpty() ? null : List.copyOf(env),
                entrypoint,
                cmd,
                volumes,
                workingDir,
                labels,
                stopSignal,
                healthcheck,
                onBuild,
                shell);
    }

    /**
     * Applies a metadata instruction, already expanded; false for one that is not (RUN, COPY,
     * ADD, FROM, ARG are the builder's).
     */
    boolean apply(Instruction instruction) {
        switch (instruction) {
            case Instruction.Env set -> set.variables().forEach(pair -> setEnv(pair.key(), pair.value()));
            case Instruction.Label label -> {
                labels = labels == null ? new LinkedHashMap<>() : labels;
                label.labels().forEach(pair -> labels.put(pair.key(), pair.value()));
            }
            case Instruction.Workdir workdir -> workingDir = absolute(workdir.path());
            case Instruction.User newUser -> user = newUser.user();
            case Instruction.Shell newShell -> shell = newShell.shell();
            case Instruction.Cmd newCmd -> {
                cmd = command(newCmd.command(), newCmd.shellForm());
                cmdSet = true;
            }
            case Instruction.Entrypoint newEntrypoint -> {
                entrypoint = command(newEntrypoint.command(), newEntrypoint.shellForm());
                // An inherited CMD was meant for the old entrypoint (moby dispatchEntrypoint).
                if (!cmdSet) {
                    cmd = null;
                }
            }
            case Instruction.Expose expose -> {
                exposedPorts = exposedPorts == null ? new LinkedHashMap<>() : exposedPorts;
                expose.ports().forEach(port -> exposedPorts.put(port.contains("/") ? port : port + "/tcp", Map.of()));
            }
            case Instruction.Volume volume -> {
                volumes = volumes == null ? new LinkedHashMap<>() : volumes;
                volume.paths().forEach(path -> volumes.put(path, Map.of()));
            }
            case Instruction.StopSignal signal -> stopSignal = signal.signal();
            case Instruction.Healthcheck check ->
                healthcheck = new Healthcheck(
                        check.test(),
                        nanosOrNull(check.interval()),
                        nanosOrNull(check.timeout()),
                        nanosOrNull(check.startPeriod()),
                        nanosOrNull(check.startInterval()),
                        check.retries() == 0 ? null : check.retries());
            case Instruction.Onbuild trigger -> {
                onBuild = onBuild == null ? new ArrayList<>() : new ArrayList<>(onBuild);
                onBuild.add(trigger.expression());
            }
            default -> {
                return false;
            }
        }
        return true;
    }

    private static Long nanosOrNull(java.time.Duration duration) {
        return duration == null || duration.isZero() ? null : duration.toNanos();
    }

    /** Sets {@code NAME=value}, replacing the variable where it stood. */
    void setEnv(String name, String value) {
        String assignment = name + "=" + (value == null ? "" : value);
        for (int i = 0; i < env.size(); i++) {
            if (env.get(i).startsWith(name + "=")) {
                env.set(i, assignment);
                return;
            }
        }
        env.add(assignment);
    }

    /** A shell-form command runs through the SHELL; an exec-form one is the argv as written. */
    List<String> command(List<String> command, boolean shellForm) {
        if (!shellForm) {
            return command;
        }
        var line = new ArrayList<>(shell());
        line.addAll(command);
        return List.copyOf(line);
    }

    List<String> shell() {
        return shell == null || shell.isEmpty() ? DEFAULT_SHELL : shell;
    }

    List<String> env() {
        return List.copyOf(env);
    }

    String user() {
        return user;
    }

    /** The WORKDIR, {@code /} when none was set. */
    String workingDir() {
        return workingDir == null || workingDir.isEmpty() ? "/" : workingDir;
    }

    /**
     * {@code path} made absolute against the WORKDIR, as WORKDIR and COPY's destination are; a
     * final {@code .} ({@code COPY a .}) names the directory, so it becomes a trailing slash.
     */
    String absolute(String path) {
        String base = workingDir();
        String absolute = path.startsWith("/") ? path : (base.endsWith("/") ? base : base + "/") + path;
        return absolute.endsWith("/.") ? absolute.substring(0, absolute.length() - 1) : absolute;
    }
}
