package dev.canal.runtime.oci;

import java.util.List;
import java.util.Map;

/**
 * The Linux section of config.json (config-linux.md): namespaces, id mappings, devices, cgroup
 * resources, seccomp, and the paths hidden or made read-only inside the container.
 *
 * @param uidMappings the user namespace's uid_map; only with a new user namespace
 * @param sysctl written under /proc/sys, "net.ipv4.ip_forward" style keys (config-linux.md#sysctl)
 * @param cgroupsPath where the container's cgroup is created or joined, relative to the cgroup root
 *     or, with systemd, "slice:prefix:name"
 * @param rootfsPropagation the propagation of the root mount: shared, slave, private or unbindable,
 *     optionally recursive with an "r" prefix as mount(8) spells it
 * @param maskedPaths hidden inside the container: a /dev/null bind over files, an empty
 *     read-only tmpfs over directories
 * @param readonlyPaths bind-remounted read-only inside the container
 * @param mountLabel the SELinux context of the container's mounts
 * @param timeOffsets per-clock offsets of a new time namespace, by clock name
 */
public record Linux(
        List<IdMapping> uidMappings,
        List<IdMapping> gidMappings,
        Map<String, String> sysctl,
        Resources resources,
        String cgroupsPath,
        List<Namespace> namespaces,
        List<Device> devices,
        Seccomp seccomp,
        String rootfsPropagation,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        String mountLabel,
        IntelRdt intelRdt,
        Personality personality,
        Map<String, TimeOffset> timeOffsets,
        @KeepUnknown Map<String, Object> unknownFields) {

    public Linux {
        uidMappings = Immutable.list(uidMappings);
        gidMappings = Immutable.list(gidMappings);
        sysctl = Immutable.map(sysctl);
        namespaces = Immutable.list(namespaces);
        devices = Immutable.list(devices);
        maskedPaths = Immutable.list(maskedPaths);
        readonlyPaths = Immutable.list(readonlyPaths);
        timeOffsets = Immutable.map(timeOffsets);
        unknownFields = Immutable.map(unknownFields);
    }

    /**
     * A namespace to create, or with {@code path} (/proc/PID/ns/net, a bind-mounted nsfs file)
     * to join, in namespaces(7)'s names: pid, network, mount, ipc, uts, user, cgroup, time
     * (config-linux.md#namespaces).
     */
    public record Namespace(
            String type, String path, @KeepUnknown Map<String, Object> unknownFields) {

        public Namespace {
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /**
     * A device node to create with mknod(2) (config-linux.md#devices).
     *
     * @param type c (character), b (block), u (unbuffered character) or p (FIFO)
     * @param major required unless {@code type} is p; null when absent
     * @param fileMode the permission bits, 0666 written as 438 in JSON
     * @param uid the owner inside the container
     */
    public record Device(
            String path,
            String type,
            Long major,
            Long minor,
            Long fileMode,
            Long uid,
            Long gid,
            @KeepUnknown Map<String, Object> unknownFields) {

        public Device {
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /**
     * Intel Resource Director Technology (config-linux.md#intelrdt): the resctrl class of
     * service to join and the cache and memory-bandwidth schemata to write.
     */
    public record IntelRdt(
            String closID,
            String l3CacheSchema,
            String memBwSchema,
            Boolean enableCMT,
            Boolean enableMBM,
            @KeepUnknown Map<String, Object> unknownFields) {

        public IntelRdt {
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /** personality(2)'s execution domain, "LINUX" or "LINUX32" (config-linux.md#personality). */
    public record Personality(
            String domain, List<String> flags, @KeepUnknown Map<String, Object> unknownFields) {

        public Personality {
            flags = Immutable.list(flags);
            unknownFields = Immutable.map(unknownFields);
        }
    }

    /**
     * How far a clock of a new time namespace is moved, written to /proc/PID/timens_offsets
     * (time_namespaces(7)). Only "monotonic" and "boottime" can be offset.
     */
    public record TimeOffset(
            Long secs, Long nanosecs, @KeepUnknown Map<String, Object> unknownFields) {

        public TimeOffset {
            unknownFields = Immutable.map(unknownFields);
        }
    }
}
