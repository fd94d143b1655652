package dev.canal.engine;

import dev.canal.engine.net.NetworkRequest;
import java.util.List;
import java.util.Map;

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
    public static final int DEFAULT_STOP_TIMEOUT = 10;

    public ContainerSpec {
        env = env == null ? List.of() : List.copyOf(env);
        labels = labels == null ? Map.of() : Map.copyOf(labels);
        host = host == null ? ContainerSpec.HostSettings.DEFAULTS : host;
    }

    public static ContainerSpec of(String image) {
        return new ContainerSpec(
                image, null, null, List.of(), null, null, null, false, false, false, Map.of(), null, null, null);
    }

    public ContainerSpec withHost(ContainerSpec.HostSettings settings) {
        return new ContainerSpec(
                this.image,
                this.cmd,
                this.entrypoint,
                this.env,
                this.workingDir,
                this.user,
                this.hostname,
                this.tty,
                this.openStdin,
                this.stdinOnce,
                this.labels,
                this.stopSignal,
                this.stopTimeout,
                settings);
    }

    public int stopSeconds() {
        return this.stopTimeout == null ? 10 : this.stopTimeout;
    }

    public record HostSettings(
            List<String> binds,
            boolean autoRemove,
            RestartPolicy restart,
            long memory,
            long nanoCpus,
            long pidsLimit,
            String network,
            boolean readOnlyRootfs,
            List<String> capAdd,
            List<String> capDrop,
            boolean privileged,
            List<ContainerSpec.Ulimit> ulimits,
            Map<String, String> tmpfs,
            Map<String, String> logOptions,
            List<Integer> consoleSize,
            NetworkRequest networking) {
        public static final ContainerSpec.HostSettings DEFAULTS = new ContainerSpec.HostSettings(
                List.of(),
                false,
                RestartPolicy.NO,
                0L,
                0L,
                0L,
                "none",
                false,
                List.of(),
                List.of(),
                false,
                List.of(),
                Map.of(),
                Map.of(),
                null,
                NetworkRequest.NONE);

        public HostSettings {
            binds = binds == null ? List.of() : List.copyOf(binds);
            restart = restart == null ? RestartPolicy.NO : restart;
            network = network != null && !network.isEmpty() ? network : "none";
            capAdd = capAdd == null ? List.of() : List.copyOf(capAdd);
            capDrop = capDrop == null ? List.of() : List.copyOf(capDrop);
            ulimits = ulimits == null ? List.of() : List.copyOf(ulimits);
            tmpfs = tmpfs == null ? Map.of() : Map.copyOf(tmpfs);
            logOptions = logOptions == null ? Map.of() : Map.copyOf(logOptions);
            consoleSize = consoleSize != null && consoleSize.size() == 2 ? List.copyOf(consoleSize) : null;
            networking = networking == null ? NetworkRequest.NONE : networking;
        }

        /** Settings that ask nothing of the network beyond its mode (the canal command line's). */
        public HostSettings(
                List<String> binds,
                boolean autoRemove,
                RestartPolicy restart,
                long memory,
                long nanoCpus,
                long pidsLimit,
                String network,
                boolean readOnlyRootfs,
                List<String> capAdd,
                List<String> capDrop,
                boolean privileged,
                List<ContainerSpec.Ulimit> ulimits,
                Map<String, String> tmpfs,
                Map<String, String> logOptions,
                List<Integer> consoleSize) {
            this(
                    binds,
                    autoRemove,
                    restart,
                    memory,
                    nanoCpus,
                    pidsLimit,
                    network,
                    readOnlyRootfs,
                    capAdd,
                    capDrop,
                    privileged,
                    ulimits,
                    tmpfs,
                    logOptions,
                    consoleSize,
                    NetworkRequest.NONE);
        }

        public ContainerSpec.HostSettings withBinds(List<String> newBinds) {
            return new ContainerSpec.HostSettings(
                    newBinds,
                    this.autoRemove,
                    this.restart,
                    this.memory,
                    this.nanoCpus,
                    this.pidsLimit,
                    this.network,
                    this.readOnlyRootfs,
                    this.capAdd,
                    this.capDrop,
                    this.privileged,
                    this.ulimits,
                    this.tmpfs,
                    this.logOptions,
                    this.consoleSize,
                    this.networking);
        }

        public int consoleRows() {
            return this.consoleSize == null ? 0 : this.consoleSize.get(0);
        }

        public int consoleColumns() {
            return this.consoleSize == null ? 0 : this.consoleSize.get(1);
        }
    }

    public record Ulimit(String name, long soft, long hard) {}
}
