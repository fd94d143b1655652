package dev.canal.engine;

import dev.canal.engine.net.SharedNetwork;
import dev.canal.images.Image;
import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.rootfs.RootDirectory;
import dev.canal.runtime.sys.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * From what the user asked to what the runtime runs, in three steps:
 * <ol>
 *   <li>{@link #validate}: refuse a bad spec at create, with docker's message, before anything
 *       is made;
 *   <li>{@link #normalize}: fill in the image's command, environment, working directory and
 *       user, once at create, so that {@code docker inspect} shows what will run;
 *   <li>{@link #runConfig}: at each start, resolve the user in the mounted rootfs and gather
 *       the settings config.json needs.
 * </ol>
 */
public final class ContainerSetup {

    private static final CgroupLayout CGROUPS = CgroupLayout.detect();

    /** sethostname(2) refuses longer names: HOST_NAME_MAX. */
    private static final int HOST_NAME_MAX = 64;

    /** Mode 0755, for a working directory that the image lacks and docker creates. */
    private static final int DIRECTORY_MODE = 0755;

    private ContainerSetup() {}

    /** Refuses what docker refuses at create, each with a one-line reason naming the option. */
    public static void validate(ContainerSpec spec) {
        ContainerSpec.HostSettings host = spec.host();
        if (spec.workingDir() != null
                && !spec.workingDir().isEmpty()
                && !spec.workingDir().startsWith("/")) {
            throw new IllegalArgumentException(
                    "-w " + spec.workingDir() + ": the working directory must be an absolute path");
        }
        ResourceRules.validate(host.resources());
        int hostnameBytes = spec.hostname() == null ? 0 : spec.hostname().getBytes(StandardCharsets.UTF_8).length;
        if (hostnameBytes > HOST_NAME_MAX) {
            throw new IllegalArgumentException("--hostname " + spec.hostname() + ": " + hostnameBytes
                    + " bytes; a host name is at most 64 (HOST_NAME_MAX, sethostname(2))");
        }
        host.binds().forEach(Volume::parse);
        host.tmpfs().keySet().forEach(path -> {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("--tmpfs " + path + ": the container path must be absolute");
            }
        });
        Capabilities.of(host.capAdd(), host.capDrop(), host.privileged());
        if (spec.stopSignal() != null && !spec.stopSignal().isEmpty()) {
            Signals.parse(spec.stopSignal());
        }
        LogFile.Options.of(host.logOptions());
    }

    /**
     * The spec with the image's defaults filled in, as docker's create does:
     * <ul>
     *   <li>the entrypoint is the spec's if given (an empty one clears the image's), else the
     *       image's; the command is the spec's if given, else the image's, unless the spec set
     *       its own entrypoint, which drops the image's command (docker run(1), ENTRYPOINT);
     *   <li>the host name is the first 12 digits of the id, or the host's with {@code --network host};
     *   <li>anonymous volumes ({@code -v /data}) get their generated name written in, so each
     *       start mounts the same one;
     *   <li>memory plus swap is twice the memory limit unless given, and /dev/shm is 64 MiB
     *       unless given (moby's adaptContainerSettings).
     * </ul>
     */
    public static ContainerSpec normalize(ContainerSpec spec, Image image, String id) {
        List<String> entrypoint = spec.entrypoint() == null ? image.entrypoint() : spec.entrypoint();
        List<String> cmd;
        if (spec.cmd() != null && !spec.cmd().isEmpty()) {
            cmd = spec.cmd();
        } else {
            cmd = spec.entrypoint() == null ? image.cmd() : List.of();
        }
        if (entrypoint.isEmpty() && cmd.isEmpty()) {
            throw new IllegalArgumentException(
                    "no command specified: the image has no Entrypoint or Cmd; give one after the image");
        }
        boolean hostNetwork = spec.host().network().equals("host");
        String hostname;
        if (spec.hostname() != null && !spec.hostname().isEmpty()) {
            hostname = spec.hostname();
        } else {
            hostname = hostNetwork ? hostsName() : id.substring(0, 12);
        }
        List<String> env = Environment.base(hostname, spec.tty())
                .with(image.env())
                .with(spec.env())
                .toList();
        String workingDir =
                spec.workingDir() != null && !spec.workingDir().isEmpty() ? spec.workingDir() : image.workingDir();
        String user = spec.user() != null && !spec.user().isEmpty() ? spec.user() : image.user();
        List<String> binds = spec.host().binds().stream()
                .map(bind -> {
                    Volume volume = Volume.parse(bind);
                    return volume.isVolume() && !bind.startsWith(volume.name() + ":")
                            ? volume.name() + ":" + bind
                            : bind;
                })
                .toList();
        return new ContainerSpec(
                spec.image(),
                cmd,
                entrypoint,
                env,
                workingDir,
                user,
                hostname,
                spec.tty(),
                spec.openStdin(),
                spec.stdinOnce(),
                spec.labels(),
                spec.stopSignal(),
                spec.stopTimeout(),
                spec.host()
                        .withBinds(binds)
                        .withResources(withDefaults(spec.host().resources())));
    }

    private static Resources withDefaults(Resources resources) {
        Resources.Memory memory = resources.memory();
        if (memory.limit() > 0 && memory.swap() == 0) {
            memory = new Resources.Memory(
                    memory.limit(), 2 * memory.limit(), memory.reservation(), memory.oomKillDisable());
        }
        long shmSize = resources.shmSize() == 0 ? Resources.DEFAULT_SHM_SIZE : resources.shmSize();
        return resources.withMemory(memory).withShmSize(shmSize);
    }

    /** What is executed: the entrypoint followed by the command. */
    public static List<String> command(ContainerSpec normalized) {
        return Stream.concat(normalized.entrypoint().stream(), normalized.cmd().stream())
                .toList();
    }

    /**
     * The settings of one start of a normalized spec whose rootfs is mounted at {@code rootfs}.
     * HOME comes from the user's passwd entry unless the environment sets it, and a missing
     * working directory is created, as docker does. With {@code sharedNetwork} (null otherwise)
     * the container joins that container's network namespace and takes its host name.
     */
    public static RunConfig runConfig(
            ContainerSpec normalized,
            Path rootfs,
            List<Volume> volumes,
            SharedNetwork.Donor sharedNetwork,
            int consoleRows,
            int consoleColumns) {
        UserResolution user = UserResolution.resolve(normalized.user(), rootfs);
        List<String> env = new ArrayList<>(normalized.env());
        if (env.stream().noneMatch(variable -> variable.startsWith("HOME="))) {
            env.add("HOME=" + user.home());
        }
        // Made inside the rootfs, never following a symlink out of it.
        try (RootDirectory root = RootDirectory.open(rootfs.toString())) {
            root.makeDirectories(normalized.workingDir(), DIRECTORY_MODE);
        }
        ContainerSpec.HostSettings host = normalized.host();
        return new RunConfig(
                command(normalized),
                env,
                normalized.workingDir(),
                user,
                sharedNetwork == null ? normalized.hostname() : sharedNetwork.hostname(),
                // Relative to the bundle, the container's directory: the overlay's mount point.
                "merged",
                normalized.tty(),
                consoleRows,
                consoleColumns,
                volumes,
                host.resources(),
                swapIsAccounted(),
                host.network().equals("host"),
                sharedNetwork == null ? null : sharedNetwork.networkNamespace(),
                Capabilities.of(host.capAdd(), host.capDrop(), host.privileged()),
                host.privileged(),
                host.tmpfs(),
                host.readOnlyRootfs(),
                CGROUPS.limitsOnV2());
    }

    /** The machine's host name, which a container on the host's network shares. */
    private static String hostsName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the host's name: " + e.getMessage(), e);
        }
    }

    /**
     * Whether memory plus swap can be limited: always on cgroup v2; on v1 only when the kernel
     * accounts swap (memory.memsw.* exists, swapaccount=1).
     */
    static boolean swapIsAccounted() {
        if (CGROUPS.limitsOnV2()) {
            return true;
        }
        return CGROUPS.hasV1("memory")
                && Files.exists(CGROUPS.v1Mounts().get("memory").resolve("memory.memsw.limit_in_bytes"));
    }
}
