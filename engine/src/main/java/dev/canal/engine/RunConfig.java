package dev.canal.engine;

import java.util.List;
import java.util.Map;

public record RunConfig(
        List<String> args,
        List<String> env,
        String cwd,
        UserResolution user,
        String hostname,
        String rootfs,
        boolean terminal,
        int consoleRows,
        int consoleColumns,
        List<Volume> volumes,
        long memory,
        boolean limitSwap,
        long cpuQuota,
        long pidsLimit,
        boolean hostNetwork,
        List<String> capabilities,
        boolean privileged,
        List<ContainerSpec.Ulimit> ulimits,
        Map<String, String> tmpfs,
        boolean readOnlyRootfs,
        boolean cgroupNamespace) {
    public RunConfig(
            List<String> args,
            List<String> env,
            String cwd,
            UserResolution user,
            String hostname,
            String rootfs,
            boolean terminal,
            int consoleRows,
            int consoleColumns,
            List<Volume> volumes,
            long memory,
            boolean limitSwap,
            long cpuQuota,
            long pidsLimit,
            boolean hostNetwork) {
        this(
                args,
                env,
                cwd,
                user,
                hostname,
                rootfs,
                terminal,
                consoleRows,
                consoleColumns,
                volumes,
                memory,
                limitSwap,
                cpuQuota,
                pidsLimit,
                hostNetwork,
                ContainerConfig.DOCKER_CAPABILITIES,
                false,
                List.of(),
                Map.of(),
                false,
                true);
    }
}
