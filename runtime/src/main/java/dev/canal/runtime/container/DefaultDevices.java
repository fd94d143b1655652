package dev.canal.runtime.container;

import dev.canal.runtime.oci.Linux;
import dev.canal.runtime.oci.Resources;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The device rules a container gets after the spec's own, as runc adds them
 * (libcontainer/specconv, {@code AllowedDevices}): the devices every program expects (null,
 * zero, full, random, urandom, tty) and the pseudoterminals (ptmx and /dev/pts/N, which the
 * console and {@code exec --tty} need). podman and docker send only "deny all" and rely on this.
 *
 * <p>The nodes of {@code linux.devices} get no rule, whatever their type, as in runc's
 * {@code createDevices}: config.json grants access in {@code linux.resources.devices}, and a
 * FIFO ({@code "p"}) is no device at all to the cgroup. A default whose path the spec creates
 * itself gives way to it, rule included, as runc's does.
 */
final class DefaultDevices {

    /** A default rule, and the node it is for (null: a rule only). */
    private record Allowed(char type, long major, long minor, String path) {}

    /** minor -1: any. */
    private static final List<Allowed> ALWAYS_ALLOWED = List.of(
            new Allowed('c', 1, 3, "/dev/null"),
            new Allowed('c', 1, 5, "/dev/zero"),
            new Allowed('c', 1, 7, "/dev/full"),
            new Allowed('c', 5, 0, "/dev/tty"),
            new Allowed('c', 1, 9, "/dev/urandom"),
            new Allowed('c', 1, 8, "/dev/random"),
            new Allowed('c', 136, -1, null), // /dev/pts/N
            new Allowed('c', 5, 2, null), // /dev/ptmx
            new Allowed('c', 10, 200, null)); // /dev/net/tun

    private DefaultDevices() {}

    /** {@code resources} with the rules appended; null stays null (no cgroup limits asked). */
    static Resources addTo(Resources resources, Linux linux) {
        if (resources == null || resources.devices().isEmpty()) {
            return resources;
        }
        List<Resources.DeviceRule> rules = new ArrayList<>(resources.devices());
        for (Allowed device : ALWAYS_ALLOWED) {
            if (device.path() == null
                    || linux.devices().stream().noneMatch(d -> device.path().equals(d.path()))) {
                rules.add(allow(String.valueOf(device.type()), device.major(), device.minor()));
            }
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
