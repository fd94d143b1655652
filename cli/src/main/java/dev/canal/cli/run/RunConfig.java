package dev.canal.cli.run;

import java.util.List;

/**
 * What {@code canal run} settled on for one container, after merging the image's config with
 * the options: everything config.json needs besides the fixed defaults.
 *
 * @param args        entrypoint followed by command
 * @param rootfs      the root filesystem, relative to the bundle or absolute
 * @param consoleRows the caller's terminal size, 0 when unknown
 * @param memory      the memory limit in bytes, 0 for none
 * @param cpuQuota    microseconds of CPU time per {@link ContainerConfig#CPU_PERIOD}, 0 for none
 * @param pidsLimit   the most tasks, 0 for none
 * @param hostNetwork {@code --network host}: no network namespace of its own, the host's
 */
record RunConfig(
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
        boolean hostNetwork) {}
