package dev.canal.runtime.oci;

import dev.canal.runtime.oci.Linux.Device;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The checks of config-linux.md, one method per section, for {@link SpecValidator}. */
final class LinuxValidator {

    /** namespaces(7)'s types by the spec's names (config-linux.md#namespaces). */
    private static final Set<String> NAMESPACES =
            Set.of("pid", "network", "mount", "ipc", "uts", "user", "cgroup", "time");

    /** mknod(2) node types: character, block, unbuffered character, FIFO (config-linux.md#devices). */
    private static final Set<String> DEVICE_TYPES = Set.of("c", "b", "u", "p");

    /** The spec's four, and the recursive forms runc and crun also accept, as mount(8) names them. */
    private static final Set<String> PROPAGATIONS =
            Set.of("shared", "slave", "private", "unbindable", "rshared", "rslave", "rprivate", "runbindable");

    /** time_namespaces(7): only these two clocks have per-namespace offsets. */
    private static final Set<String> OFFSET_CLOCKS = Set.of("monotonic", "boottime");

    /** User and group ids are 32-bit: 0 to 2^32-1. */
    private static final long ID_LIMIT = 1L << 32;

    private LinuxValidator() {}

    static void check(Linux linux, Problems problems) {
        Set<String> namespaces = checkNamespaces(linux.namespaces(), problems);
        requireNamespace("linux.uidMappings", !linux.uidMappings().isEmpty(), namespaces, "user", problems);
        requireNamespace("linux.gidMappings", !linux.gidMappings().isEmpty(), namespaces, "user", problems);
        checkIdMappings("linux.uidMappings", linux.uidMappings(), problems);
        checkIdMappings("linux.gidMappings", linux.gidMappings(), problems);
        checkDevices(linux.devices(), problems);
        checkTimeOffsets(linux.timeOffsets(), namespaces, problems);
        checkSysctl(linux.sysctl(), problems);
        if (linux.rootfsPropagation() != null) {
            problems.requireKnown("linux.rootfsPropagation", linux.rootfsPropagation(), PROPAGATIONS, "propagation");
        }
        Problems.forEach("linux.maskedPaths", linux.maskedPaths(), problems::requireAbsolute);
        Problems.forEach("linux.readonlyPaths", linux.readonlyPaths(), problems::requireAbsolute);
    }

    /**
     * Each type once, the runtime must fail on duplicates; a path to join must be absolute
     * (config-linux.md#namespaces). Returns the types listed.
     */
    private static Set<String> checkNamespaces(List<Linux.Namespace> namespaces, Problems problems) {
        Set<String> types = new HashSet<>();
        Problems.forEach("linux.namespaces", namespaces, (path, namespace) -> {
            problems.requireKnownOnce(path + ".type", namespace.type(), NAMESPACES, "namespace", types);
            if (namespace.path() != null) {
                problems.requireAbsolute(path + ".path", namespace.path());
            }
        });
        return types;
    }

    /** Settings that only mean something inside a namespace of their own, such as uid maps. */
    private static void requireNamespace(
            String path, boolean present, Set<String> namespaces, String type, Problems problems) {
        if (present && !namespaces.contains(type)) {
            problems.add(path, "set without a " + type + " namespace in linux.namespaces");
        }
    }

    /**
     * What the kernel accepts in uid_map and gid_map (user_namespaces(7)): each range is
     * non-empty, stays within 32-bit ids, and overlaps no other range inside or outside.
     * Also used for the mappings of idmapped mounts.
     */
    static void checkIdMappings(String path, List<IdMapping> mappings, Problems problems) {
        Problems.forEach(path, mappings, (at, mapping) -> {
            if (mapping.size() <= 0) {
                problems.add(at + ".size", "must be greater than 0, got " + mapping.size());
                return;
            }
            requireIdRange(at, "containerID", mapping.containerID(), mapping.size(), problems);
            requireIdRange(at, "hostID", mapping.hostID(), mapping.size(), problems);
        });
        for (int i = 0; i < mappings.size(); i++) {
            for (int j = 0; j < i; j++) {
                checkOverlap(path + "[" + i + "]", mappings.get(i), path + "[" + j + "]", mappings.get(j), problems);
            }
        }
    }

    private static void requireIdRange(String path, String name, long start, long size, Problems problems) {
        if (!fitsIds(start, size)) {
            problems.add(path, name + " " + start + " + size " + size + " is outside the 32-bit id range");
        }
    }

    private static boolean fitsIds(long start, long size) {
        return start >= 0 && start < ID_LIMIT && size <= ID_LIMIT - start;
    }

    private static boolean isValid(IdMapping mapping) {
        return mapping.size() > 0
                && fitsIds(mapping.containerID(), mapping.size())
                && fitsIds(mapping.hostID(), mapping.size());
    }

    private static void checkOverlap(
            String path, IdMapping mapping, String earlierPath, IdMapping earlier, Problems problems) {
        if (!isValid(mapping) || !isValid(earlier)) {
            return;
        }
        if (overlaps(mapping.containerID(), mapping.size(), earlier.containerID(), earlier.size())) {
            problems.add(
                    path,
                    "containerID range " + range(mapping.containerID(), mapping.size()) + " overlaps " + earlierPath);
        }
        if (overlaps(mapping.hostID(), mapping.size(), earlier.hostID(), earlier.size())) {
            problems.add(path, "hostID range " + range(mapping.hostID(), mapping.size()) + " overlaps " + earlierPath);
        }
    }

    private static boolean overlaps(long start, long size, long otherStart, long otherSize) {
        return start < otherStart + otherSize && otherStart < start + size;
    }

    private static String range(long start, long size) {
        return start + "-" + (start + size - 1);
    }

    /** Node type, absolute path, and the numbers mknod(2) needs for all but FIFOs (config-linux.md#devices). */
    private static void checkDevices(List<Device> devices, Problems problems) {
        Problems.forEach("linux.devices", devices, (path, device) -> {
            problems.requireAbsolute(path + ".path", device.path());
            if (problems.requireKnown(path + ".type", device.type(), DEVICE_TYPES, "device type")
                    && !device.type().equals("p")) {
                String needed = "required for type " + Quoted.of(device.type());
                if (device.major() == null) {
                    problems.add(path + ".major", needed);
                }
                if (device.minor() == null) {
                    problems.add(path + ".minor", needed);
                }
            }
        });
    }

    /** Offsets exist only in a new time namespace, and only for two clocks (config-linux.md#offset-for-time-namespace). */
    private static void checkTimeOffsets(
            Map<String, Linux.TimeOffset> offsets, Set<String> namespaces, Problems problems) {
        requireNamespace("linux.timeOffsets", !offsets.isEmpty(), namespaces, "time", problems);
        for (String clock : offsets.keySet()) {
            if (!OFFSET_CLOCKS.contains(clock)) {
                problems.add(JsonPath.member("linux.timeOffsets", clock), "only monotonic and boottime can be offset");
            }
        }
    }

    /** A sysctl name is a path under /proc/sys, so it cannot be empty (config-linux.md#sysctl). */
    private static void checkSysctl(Map<String, String> sysctl, Problems problems) {
        if (sysctl.containsKey("")) {
            problems.add(JsonPath.member("linux.sysctl", ""), "empty key");
        }
    }
}
