package dev.canal.runtime.container;

import dev.canal.runtime.oci.Linux;
import dev.canal.runtime.oci.Resources;
import dev.canal.runtime.rootfs.RootfsPlan;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The devices every container gets beside the spec's own, runc's {@code AllowedDevices}
 * (libcontainer/specconv/spec_linux.go), the one list both uses are drawn from: the cgroup rules
 * appended after the spec's and the nodes made in a fresh /dev. Its rules are mknod of any
 * device (access "m"; opening one still needs a rule of its own), the devices every program
 * expects (null, random, full, tty, zero, urandom: nodes too), the pseudoterminals (/dev/pts/N
 * and ptmx, which the console and {@code exec --tty} need) and /dev/net/tun, which runc 1.2.4
 * put back after users of tun/tap missed it. podman and docker send only "deny all" and rely
 * on this.
 *
 * <p>The nodes of {@code linux.devices} get no rule, whatever their type, as in runc's
 * {@code createDevices}: config.json grants access in {@code linux.resources.devices}, and a
 * FIFO ({@code "p"}) is no device at all to the cgroup. A default whose path the spec creates
 * itself gives way to it, rule and node, as runc's does.
 */
final class DefaultDevices {

    /**
     * A rule, and the node it is for (null: a rule only).
     *
     * @param major -1: any
     * @param minor -1: any
     */
    private record Allowed(char type, long major, long minor, String access, String path) {}

    /** In runc's order. */
    private static final List<Allowed> ALLOWED = List.of(
            new Allowed('c', -1, -1, "m", null),
            new Allowed('b', -1, -1, "m", null),
            new Allowed('c', 1, 3, "rwm", "/dev/null"),
            new Allowed('c', 1, 8, "rwm", "/dev/random"),
            new Allowed('c', 1, 7, "rwm", "/dev/full"),
            new Allowed('c', 5, 0, "rwm", "/dev/tty"),
            new Allowed('c', 1, 5, "rwm", "/dev/zero"),
            new Allowed('c', 1, 9, "rwm", "/dev/urandom"),
            new Allowed('c', 136, -1, "rwm", null), // /dev/pts/N
            new Allowed('c', 5, 2, "rwm", null), // /dev/ptmx
            new Allowed('c', 10, 200, "rwm", null)); // /dev/net/tun

    /** The mode of a default node: anyone may read and write it, root owns it. */
    private static final int NODE_MODE = 0666;

    private DefaultDevices() {}

    /** {@code resources} with the rules appended; null stays null (no cgroup limits asked). */
    static Resources addTo(Resources resources, Linux linux) {
        if (resources == null || resources.devices().isEmpty()) {
            return resources;
        }
        List<Resources.DeviceRule> rules = new ArrayList<>(resources.devices());
        for (Allowed device : ALLOWED) {
            if (!replaced(
                    device, linux.devices().stream().map(Linux.Device::path).toList())) {
                rules.add(new Resources.DeviceRule(
                        true,
                        String.valueOf(device.type()),
                        device.major() < 0 ? null : device.major(),
                        device.minor() < 0 ? null : device.minor(),
                        device.access(),
                        Map.of()));
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

    /** The nodes a fresh /dev gets: the defaults the spec does not replace, then the spec's own. */
    static List<RootfsPlan.Device> withNodes(List<RootfsPlan.Device> specDevices) {
        List<String> specPaths =
                specDevices.stream().map(RootfsPlan.Device::path).toList();
        List<RootfsPlan.Device> nodes = new ArrayList<>();
        for (Allowed device : ALLOWED) {
            if (device.path() != null && !specPaths.contains(device.path())) {
                nodes.add(new RootfsPlan.Device(
                        device.path(), device.type(), device.major(), device.minor(), NODE_MODE, 0, 0));
            }
        }
        nodes.addAll(specDevices);
        return List.copyOf(nodes);
    }

    private static boolean replaced(Allowed device, List<String> specPaths) {
        return device.path() != null && specPaths.contains(device.path());
    }
}
