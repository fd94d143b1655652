package dev.canal.runtime.container;

import dev.canal.runtime.oci.Linux;
import dev.canal.runtime.oci.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The device rules a container gets after the spec's own, as runc adds them
 * (libcontainer/specconv, {@code AllowedDevices}): the devices every program expects (null,
 * zero, full, random, urandom, tty), the pseudoterminals (ptmx and /dev/pts/N, which the
 * console and {@code exec --tty} need) and the devices config.json creates in
 * {@code linux.devices}. podman and docker send only "deny all" and rely on this.
 */
final class DefaultDevices {

    /** type, major, minor (-1: any). */
    private static final long[][] ALWAYS_ALLOWED = {
        {'c', 1, 3}, // /dev/null
        {'c', 1, 5}, // /dev/zero
        {'c', 1, 7}, // /dev/full
        {'c', 5, 0}, // /dev/tty
        {'c', 1, 9}, // /dev/urandom
        {'c', 1, 8}, // /dev/random
        {'c', 136, -1}, // /dev/pts/N
        {'c', 5, 2}, // /dev/ptmx
        {'c', 10, 200}, // /dev/net/tun
    };

    private DefaultDevices() {}

    /** {@code resources} with the rules appended; null stays null (no cgroup limits asked). */
    static Resources addTo(Resources resources, Linux linux) {
        if (resources == null || resources.devices().isEmpty()) {
            return resources;
        }
        List<Resources.DeviceRule> rules = new ArrayList<>(resources.devices());
        for (long[] device : ALWAYS_ALLOWED) {
            rules.add(allow(String.valueOf((char) device[0]), device[1], device[2]));
        }
        for (Linux.Device device : linux.devices()) {
            rules.add(allow(
                    device.type().equals("u") ? "c" : device.type(),
                    device.major() == null ? -1 : device.major(),
                    device.minor() == null ? -1 : device.minor()));
        }
        return new Resources(
                List.copyOf(rules),
                resources.memory(),
                resources.cpu(),
                resources.pids(),
                resources.blockIO(),
                resources.hugepageLimits(),
                resources.network(),
                resources.rdma(),
                resources.unified(),
                resources.unknownFields());
    }

    private static Resources.DeviceRule allow(String type, long major, long minor) {
        return new Resources.DeviceRule(
                true, type, major < 0 ? null : major, minor < 0 ? null : minor, "rwm", Map.of());
    }
}
