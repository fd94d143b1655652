package dev.canal.runtime.container;

import dev.canal.runtime.cgroup.CgroupPath;
import dev.canal.runtime.ns.IdMappings;
import dev.canal.runtime.ns.NamespaceType;
import dev.canal.runtime.oci.IdMapping;
import dev.canal.runtime.oci.Linux;
import dev.canal.runtime.oci.ProcessConfig;
import dev.canal.runtime.oci.Quoted;
import dev.canal.runtime.oci.Seccomp;
import dev.canal.runtime.oci.Spec;
import dev.canal.runtime.rootfs.RootDirectory;
import dev.canal.runtime.rootfs.RootfsPlan;
import dev.canal.runtime.seccomp.CallsAfterFilter;
import dev.canal.runtime.seccomp.SeccompCache;
import dev.canal.runtime.seccomp.SeccompProgram;
import dev.canal.runtime.spawn.CapabilitySets;
import dev.canal.runtime.spawn.NamespacePlan;
import dev.canal.runtime.spawn.Privileges;
import dev.canal.runtime.spawn.ProcessPlan;
import dev.canal.runtime.spawn.Stdio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a validated config.json into the plans the engines and the rootfs builder work from,
 * resolving what the spec leaves relative: the rootfs and bind sources against the bundle, the
 * program against the container's PATH.
 */
final class SpecTranslation {

    private SpecTranslation() {}

    static NamespacePlan namespaces(Spec spec) {
        List<NamespaceType> create = new ArrayList<>();
        Map<NamespaceType, String> join = new EnumMap<>(NamespaceType.class);
        for (Linux.Namespace namespace : linux(spec).namespaces()) {
            NamespaceType type = NamespaceType.fromSpecName(namespace.type())
                    .orElseThrow(() -> new ContainerException("unknown namespace \"" + namespace.type() + "\""));
            if (namespace.path() == null || namespace.path().isEmpty()) {
                create.add(type);
            } else {
                join.put(type, namespace.path());
            }
        }
        // Without a UTS namespace in the config, setting the container's name would rename the
        // runtime's host. A joined one gets the names, as runc sets them (its validator asks
        // only that linux.namespaces lists one, new or joined).
        if ((spec.hostname() != null || spec.domainname() != null)
                && !create.contains(NamespaceType.UTS)
                && !join.containsKey(NamespaceType.UTS)) {
            throw new ContainerException((spec.hostname() != null ? "hostname" : "domainname")
                    + ": setting it needs a uts namespace in linux.namespaces");
        }
        SysctlNamespaces.requireNamespaced(linux(spec).sysctl(), create, join);
        MountNamespaceNeeds.requireMet(
                spec, create.contains(NamespaceType.MOUNT) || join.containsKey(NamespaceType.MOUNT));
        Map<String, long[]> offsets = new LinkedHashMap<>();
        linux(spec)
                .timeOffsets()
                .forEach((clock, offset) ->
                        offsets.put(clock, new long[] {orZero(offset.secs()), orZero(offset.nanosecs())}));
        return new NamespacePlan(
                List.copyOf(create),
                join,
                offsets,
                ranges(linux(spec).uidMappings()),
                ranges(linux(spec).gidMappings()));
    }

    static RootfsPlan rootfs(Spec spec, Path bundle, String containerId) {
        Path rootfs = bundle.resolve(spec.root().path()).normalize();
        if (!Files.isDirectory(rootfs)) {
            throw new ContainerException("root.path: " + Quoted.bare(rootfs.toString()) + ": no such directory");
        }
        List<RootfsPlan.Mount> mounts = spec.mounts().stream()
                .map(mount -> new RootfsPlan.Mount(
                        mount.destination(),
                        mount.type(),
                        isBind(mount.options())
                                ? bundle.resolve(mount.source()).normalize().toString()
                                : mount.source(),
                        mount.options()))
                .toList();
        List<RootfsPlan.Device> specDevices = linux(spec).devices().stream()
                .map(device -> new RootfsPlan.Device(
                        device.path(),
                        device.type().charAt(0),
                        orZero(device.major()),
                        orZero(device.minor()),
                        (int) (device.fileMode() == null ? 0666 : device.fileMode()),
                        (int) orZero(device.uid()),
                        (int) orZero(device.gid())))
                .toList();
        return new RootfsPlan(
                rootfs.toString(),
                Boolean.TRUE.equals(spec.root().readonly()),
                linux(spec).rootfsPropagation(),
                mounts,
                DefaultDevices.withNodes(specDevices),
                linux(spec).maskedPaths(),
                linux(spec).readonlyPaths(),
                console(spec),
                sharesTheRuntimesCgroupNamespace(spec)
                        ? CgroupPath.resolve(linux(spec).cgroupsPath(), containerId)
                        : null);
    }

    /** No cgroup namespace in linux.namespaces, to create or join: the container sees the runtime's. */
    private static boolean sharesTheRuntimesCgroupNamespace(Spec spec) {
        return linux(spec).namespaces().stream()
                .noneMatch(namespace -> namespace.type().equals(NamespaceType.CGROUP.specName()));
    }

    /** The terminal's size and its owner as the host sees the process's user. */
    private static RootfsPlan.Console console(Spec spec) {
        ProcessConfig process = spec.process();
        if (process == null || !Boolean.TRUE.equals(process.terminal())) {
            return null;
        }
        ProcessConfig.ConsoleSize size = process.consoleSize();
        long uid = process.user() == null ? 0 : process.user().uid();
        long gid = process.user() == null ? 0 : process.user().gid();
        return new RootfsPlan.Console(
                consolePath(spec),
                size == null ? 0 : (int) size.height(),
                size == null ? 0 : (int) size.width(),
                hostId("process.user.uid", uid, linux(spec).uidMappings()),
                hostId("process.user.gid", gid, linux(spec).gidMappings()));
    }

    /** {@code id} as the host sees it: through the user namespace's map, if there is one. */
    private static int hostId(String field, long id, List<IdMapping> mappings) {
        if (mappings.isEmpty()) {
            return (int) id;
        }
        return mappings.stream()
                .filter(m -> id >= m.containerID() && id < m.containerID() + m.size())
                .mapToInt(m -> (int) (m.hostID() + id - m.containerID()))
                .findFirst()
                .orElseThrow(() -> new ContainerException(field + ": " + id + " is not mapped in the user namespace"));
    }

    /**
     * The process, its program looked up under {@code root}: the rootfs, or /proc/PID/root for
     * exec; its seccomp filter taken from {@code filters} or compiled into it.
     */
    static ProcessPlan process(Spec spec, String root, Stdio stdio, SeccompCache filters) {
        ProcessConfig process = spec.process();
        if (process == null || process.args().isEmpty()) {
            throw new ContainerException("process.args: a container needs a program to run");
        }
        String cwd = process.cwd() == null ? "/" : process.cwd();
        String executable;
        try (var directory = RootDirectory.open(root)) {
            executable = ExecutableLookup.find(directory, process.args().get(0), process.env(), cwd);
        }
        ProcessConfig.User user = process.user();
        int[] groups = user == null
                ? new int[0]
                : user.additionalGids().stream().mapToInt(Long::intValue).toArray();
        return new ProcessPlan(
                executable,
                process.args(),
                process.env(),
                cwd,
                user == null ? 0 : (int) user.uid(),
                user == null ? 0 : (int) user.gid(),
                groups,
                user == null || user.umask() == null ? -1 : user.umask().intValue(),
                privileges(spec, filters),
                stdio,
                Boolean.TRUE.equals(process.terminal()) ? consolePath(spec) : null);
    }

    /**
     * Where the process finds its terminal: /dev/pts/0 when the container mounts a devpts
     * instance of its own on /dev/pts, whose first terminal the console is, as runc's init opens
     * the pty's own path (and ttyname(3) says /dev/pts/0, as under docker); /dev/console
     * otherwise, where the terminal's peer is bind-mounted in every case.
     */
    private static String consolePath(Spec spec) {
        boolean ownDevpts = spec.mounts().stream()
                .anyMatch(mount -> "devpts".equals(mount.type()) && "/dev/pts".equals(mount.destination()));
        return ownDevpts ? "/dev/pts/0" : "/dev/console";
    }

    /**
     * No {@code capabilities} section means none are changed, as with runc. The seccomp filter
     * is compiled (or found compiled) here, before anything exists, so a bad one costs nothing to
     * refuse; a cached one is checked as a compiled one is.
     */
    private static Privileges privileges(Spec spec, SeccompCache filters) {
        ProcessConfig process = spec.process();
        Seccomp seccomp = linux(spec).seccomp();
        boolean noNewPrivileges = Boolean.TRUE.equals(process.noNewPrivileges());
        SeccompProgram program = seccomp == null ? null : filters.program(seccomp);
        if (program != null) {
            CallsAfterFilter.certainlyRefused(program, !noNewPrivileges).ifPresent(call -> {
                throw new ContainerException("linux.seccomp: the filter refuses " + call
                        + "(2) whatever its arguments, which the process needs after the filter is loaded"
                        + (noNewPrivileges ? "" : " (without process.noNewPrivileges, before its change of user)")
                        + ", so it could never start");
            });
        }
        return new Privileges(
                process.capabilities() == null ? null : CapabilitySets.of(process.capabilities()),
                noNewPrivileges,
                program);
    }

    private static List<IdMappings.Range> ranges(List<IdMapping> mappings) {
        return mappings.stream()
                .map(m -> new IdMappings.Range(m.containerID(), m.hostID(), m.size()))
                .toList();
    }

    private static boolean isBind(List<String> options) {
        return options.contains("bind") || options.contains("rbind");
    }

    private static Linux linux(Spec spec) {
        return spec.linux() == null ? EMPTY_LINUX : spec.linux();
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static final Linux EMPTY_LINUX =
            new Linux(null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null);
}
