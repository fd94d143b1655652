package dev.canal.engine;

import java.util.List;
import java.util.Map;

/**
 * What the engine settled on for one run of a container, after merging the image's config with
 * the spec and resolving the user in the rootfs: everything config.json needs besides the fixed
 * defaults ({@link ContainerConfig#json}).
 *
 * @param args            entrypoint followed by command
 * @param rootfs          the root filesystem, relative to the bundle or absolute
 * @param consoleRows     the terminal's size at start, 0 when unknown
 * @param resources       cgroup limits, ulimits and /dev/shm's size
 * @param limitSwap       whether the host accounts swap, so memory plus swap can be limited too
 * @param hostNetwork     {@code --network host}: no network namespace of its own, the host's
 * @param sharedNetwork   {@code --network container:NAME}: the network namespace file of that
 *                        container's process, {@code /proc/PID/ns/net}, joined instead of a new
 *                        one; null otherwise
 * @param capabilities    the capability sets' contents ({@link Capabilities})
 * @param cgroupNamespace whether the container gets a cgroup namespace: docker's default on
 *                        cgroup v2 ("private"), none on v1 ("host")
 */
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
        Resources resources,
        boolean limitSwap,
        boolean hostNetwork,
        String sharedNetwork,
        List<String> capabilities,
        boolean privileged,
        Map<String, String> tmpfs,
        boolean readOnlyRootfs,
        boolean cgroupNamespace) {}
