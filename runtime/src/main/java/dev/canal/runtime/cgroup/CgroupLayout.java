package dev.canal.runtime.cgroup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which cgroup hierarchies this machine has mounted, read from /proc/self/mountinfo
 * (proc(5)): each cgroup v1 hierarchy is a mount of type "cgroup" whose super options name its
 * controllers ("rw,cpu,cpuacct"); the v2 hierarchy is a single mount of type "cgroup2".
 *
 * <ul>
 *   <li>{@link Kind#V2}: only cgroup2, usually at /sys/fs/cgroup; every controller lives there.
 *   <li>{@link Kind#V1}: one mount per controller (or per group of co-mounted controllers).
 *   <li>{@link Kind#HYBRID}: v1 controllers plus a cgroup2 mount (often /sys/fs/cgroup/unified)
 *       that has no controllers of its own. Limits go to the v1 hierarchies, as runc does.
 * </ul>
 *
 * @param v1Mounts each v1 controller's mount point, by controller name ("memory")
 * @param unifiedMount the cgroup2 mount point, if any
 */
public record CgroupLayout(Kind kind, Map<String, Path> v1Mounts, Optional<Path> unifiedMount) {

    /** How the machine's cgroups are arranged. */
    public enum Kind {
        V1,
        V2,
        HYBRID
    }

    /** The v1 controllers Canal creates a cgroup in (named hierarchies such as name=systemd are left alone). */
    static final Set<String> V1_CONTROLLERS = Set.of(
            "cpu",
            "cpuacct",
            "cpuset",
            "memory",
            "devices",
            "freezer",
            "blkio",
            "pids",
            "hugetlb",
            "net_cls",
            "net_prio",
            "rdma");

    public CgroupLayout {
        v1Mounts = Map.copyOf(v1Mounts);
    }

    /** The layout of the running machine, from /proc/self/mountinfo. */
    public static CgroupLayout detect() {
        return parse(mountinfo());
    }

    private static String mountinfo() {
        try {
            return Files.readString(Path.of("/proc/self/mountinfo"));
        } catch (IOException e) {
            throw new UncheckedIOException("reading /proc/self/mountinfo", e);
        }
    }

    /**
     * The layout described by a mountinfo text. A line reads
     * {@code 34 30 0:31 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory}: the fifth
     * field is the mount point, and after the "-" come the type, source and super options.
     */
    public static CgroupLayout parse(String mountinfo) {
        var v1 = new LinkedHashMap<String, Path>();
        Path unified = null;
        for (CgroupMountLine mount : cgroupMounts(mountinfo)) {
            if (mount.type().equals("cgroup2") && unified == null) {
                unified = mount.mountPoint();
            } else if (mount.type().equals("cgroup")) {
                for (String option : mount.superOptions()) {
                    if (V1_CONTROLLERS.contains(option)) {
                        v1.putIfAbsent(option, mount.mountPoint());
                    }
                }
            }
        }
        if (v1.isEmpty() && unified == null) {
            throw new CgroupException(
                    "no cgroup hierarchy is mounted (no cgroup or cgroup2 entry in /proc/self/mountinfo)");
        }
        Kind kind = v1.isEmpty() ? Kind.V2 : unified == null ? Kind.V1 : Kind.HYBRID;
        return new CgroupLayout(kind, v1, Optional.ofNullable(unified));
    }

    /**
     * The mount point of every cgroup v1 hierarchy of this machine by each of its super options:
     * "memory", and also named hierarchies ("name=systemd"), which hold no controller.
     */
    public static Map<String, Path> v1MountPoints() {
        return v1MountPoints(mountinfo());
    }

    static Map<String, Path> v1MountPoints(String mountinfo) {
        var mountPoints = new LinkedHashMap<String, Path>();
        for (CgroupMountLine mount : cgroupMounts(mountinfo)) {
            if (mount.type().equals("cgroup")) {
                mount.superOptions().forEach(option -> mountPoints.putIfAbsent(option, mount.mountPoint()));
            }
        }
        return mountPoints;
    }

    /** Whether Canal makes its containers' cgroups in the v1 hierarchy of {@code controller}. */
    public static boolean holdsContainers(String controller) {
        return V1_CONTROLLERS.contains(controller);
    }

    /** A mount of type cgroup or cgroup2 in mountinfo. */
    private record CgroupMountLine(Path mountPoint, String type, List<String> superOptions) {}

    private static List<CgroupMountLine> cgroupMounts(String mountinfo) {
        var mounts = new ArrayList<CgroupMountLine>();
        for (String line : mountinfo.split("\n")) {
            String[] fields = line.split(" ");
            int separator = Arrays.asList(fields).indexOf("-");
            if (separator < 5 || fields.length < separator + 4) {
                continue;
            }
            String type = fields[separator + 1];
            if (type.equals("cgroup") || type.equals("cgroup2")) {
                mounts.add(new CgroupMountLine(
                        Path.of(unescape(fields[4])), type, List.of(fields[separator + 3].split(","))));
            }
        }
        return mounts;
    }

    /** mountinfo escapes space, tab, newline and backslash as octal (\040). */
    private static String unescape(String field) {
        var out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && i + 3 < field.length()) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** Whether limits are written to the cgroup v2 hierarchy (only on a pure v2 machine). */
    public boolean limitsOnV2() {
        return kind == Kind.V2;
    }

    /** Whether v1 controller {@code name} is mounted. */
    public boolean hasV1(String name) {
        return v1Mounts.containsKey(name);
    }

    /** The cgroup2 mount point; only call when {@link #unifiedMount()} is present. */
    public Path unified() {
        return unifiedMount.orElseThrow(() -> new CgroupException("no cgroup2 hierarchy is mounted"));
    }
}
