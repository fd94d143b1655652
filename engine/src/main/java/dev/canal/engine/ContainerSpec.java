package dev.canal.engine;

import dev.canal.engine.net.NetworkRequest;
import java.util.List;
import java.util.Map;

/**
 * A container as the user asked for it, in the shape of the Engine API's ContainerConfig with
 * its HostConfig ({@code POST /containers/create}); {@code canal run} fills the same record from
 * its options. Null means "not given": the image's value or docker's default applies
 * ({@link ContainerSetup#normalize}).
 *
 * @param cmd         the command; with an entrypoint, its arguments
 * @param entrypoint  null for the image's, empty to clear it ({@code --entrypoint ""})
 * @param stopSignal  the signal {@code docker stop} sends first; null for SIGTERM
 * @param stopTimeout seconds between that signal and SIGKILL; null for docker's 10
 */
public record ContainerSpec(
        String image,
        List<String> cmd,
        List<String> entrypoint,
        List<String> env,
        String workingDir,
        String user,
        String hostname,
        boolean tty,
        boolean openStdin,
        boolean stdinOnce,
        Map<String, String> labels,
        String stopSignal,
        Integer stopTimeout,
        ContainerSpec.HostSettings host) {

    /** docker stop's default grace period, in seconds. */
    public static final int DEFAULT_STOP_TIMEOUT = 10;

    public ContainerSpec {
        env = env == null ? List.of() : List.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        host = host == null ? HostSettings.DEFAULTS : host;
    }

    /** {@code docker create IMAGE}: everything from the image. */
    public static ContainerSpec of(String image) {
        return new ContainerSpec(
                image, null, null, List.of(), null, null, null, false, false, false, Map.of(), null, null, null);
    }

    public ContainerSpec withHost(HostSettings settings) {
        return new ContainerSpec(
                image,
                cmd,
                entrypoint,
                env,
                workingDir,
                user,
                hostname,
                tty,
                openStdin,
                stdinOnce,
                labels,
                stopSignal,
                stopTimeout,
                settings);
    }

    public int stopSeconds() {
        return stopTimeout == null ? DEFAULT_STOP_TIMEOUT : stopTimeout;
    }

    /**
     * The HostConfig part: how the container sits on the host.
     *
     * @param binds       {@code -v} specs, HOST:CONTAINER[:ro] or NAME:CONTAINER ({@link Volume})
     * @param autoRemove  {@code --rm}: removed when it exits
     * @param resources   cgroup limits, ulimits and /dev/shm's size ({@link Resources})
     * @param network     "none" or "host"
     * @param tmpfs       container path to tmpfs mount options
     * @param logOptions  {@code --log-opt} of the json-file driver ({@link LogFile.Options})
     * @param consoleSize rows and columns of the terminal at start, null if unknown
     */
    public record HostSettings(
            List<String> binds,
            boolean autoRemove,
            RestartPolicy restart,
            Resources resources,
            String network,
            boolean readOnlyRootfs,
            List<String> capAdd,
            List<String> capDrop,
            boolean privileged,
            Map<String, String> tmpfs,
            Map<String, String> logOptions,
            List<Integer> consoleSize,
            NetworkRequest networking) {
        public static final ContainerSpec.HostSettings DEFAULTS = new ContainerSpec.HostSettings(
                List.of(),
                false,
                RestartPolicy.NO,
                Resources.NONE,
                "none",
                false,
                List.of(),
                List.of(),
                false,
                Map.of(),
                Map.of(),
                null,
                NetworkRequest.NONE);

        public HostSettings {
            binds = binds == null ? List.of() : List.copyOf(binds);
            restart = restart == null ? RestartPolicy.NO : restart;
            resources = resources == null ? Resources.NONE : resources;
            // Until bridge networks exist (issue 17), a container without a network mode gets none.
            network = network == null || network.isEmpty() ? "none" : network;
            capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
            capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
            tmpfs = tmpfs == null ? Map.of() : Map.copyOf(tmpfs);
            logOptions = logOptions == null ? Map.of() : Map.copyOf(logOptions);
            consoleSize = consoleSize != null && consoleSize.size() == 2 ? List.copyOf(consoleSize) : null;
            networking = networking == null ? NetworkRequest.NONE : networking;
        }

        public HostSettings withBinds(List<String> newBinds) {
            return new HostSettings(
                    newBinds,
                    autoRemove,
                    restart,
                    resources,
                    network,
                    readOnlyRootfs,
                    capAdd,
                    capDrop,
                    privileged,
                    tmpfs,
                    logOptions,
                    consoleSize,
                    networking);
        }

        public HostSettings withRestart(RestartPolicy newRestart) {
            return new HostSettings(
                    binds,
                    autoRemove,
                    newRestart,
                    resources,
                    network,
                    readOnlyRootfs,
                    capAdd,
                    capDrop,
                    privileged,
                    tmpfs,
                    logOptions,
                    consoleSize,
                    networking);
        }

        public HostSettings withResources(Resources newResources) {
            return new HostSettings(
                    binds,
                    autoRemove,
                    restart,
                    newResources,
                    network,
                    readOnlyRootfs,
                    capAdd,
                    capDrop,
                    privileged,
                    tmpfs,
                    logOptions,
                    consoleSize,
                    networking);
        }

        /** These settings on network {@code mode}: a build's RUN containers take the build's. */
        public HostSettings withNetwork(String mode) {
            return new HostSettings(
                    binds,
                    autoRemove,
                    restart,
                    resources,
                    mode,
                    readOnlyRootfs,
                    capAdd,
                    capDrop,
                    privileged,
                    tmpfs,
                    logOptions,
                    consoleSize,
                    networking);
        }

        public int consoleRows() {
            return consoleSize == null ? 0 : consoleSize.get(0);
        }

        public int consoleColumns() {
            return consoleSize == null ? 0 : consoleSize.get(1);
        }
    }
}
