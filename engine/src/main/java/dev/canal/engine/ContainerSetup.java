package dev.canal.engine;

import dev.canal.images.Image;
import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.oci.RlimitNames;
import dev.canal.runtime.rootfs.RootDirectory;
import dev.canal.runtime.sys.Signals;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

public final class ContainerSetup {
    private static final CgroupLayout CGROUPS = CgroupLayout.detect();
    private static final int HOST_NAME_MAX = 64;

    private ContainerSetup() {}

    public static void validate(ContainerSpec spec) {
        ContainerSpec.HostSettings host = spec.host();
        if (spec.workingDir() != null
                && !spec.workingDir().isEmpty()
                && !spec.workingDir().startsWith("/")) {
            throw new IllegalArgumentException(
                    "-w " + spec.workingDir() + ": the working directory must be an absolute path");
        }

        if (host.nanoCpus() >= 0L && host.nanoCpus() <= Runtime.getRuntime().availableProcessors() * 1000000000L) {
            if (host.memory() >= 0L && (host.memory() <= 0L || host.memory() >= 6291456L)) {
                if (host.pidsLimit() < 0L && host.pidsLimit() != -1L) {
                    throw new IllegalArgumentException("--pids-limit " + host.pidsLimit() + ": must be at least 1");
                }

                int hostnameBytes =
                        spec.hostname() == null ? 0 : spec.hostname().getBytes(StandardCharsets.UTF_8).length;
                if (hostnameBytes > 64) {
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

                for (ContainerSpec.Ulimit ulimit : host.ulimits()) {
                    if (!RlimitNames.names().contains("RLIMIT_" + ulimit.name().toUpperCase(Locale.ROOT))) {
                        throw new IllegalArgumentException("--ulimit " + ulimit.name() + ": unknown resource");
                    }

                    if (ulimit.soft() > ulimit.hard() && ulimit.hard() >= 0L) {
                        throw new IllegalArgumentException("--ulimit " + ulimit.name() + "=" + ulimit.soft() + ":"
                                + ulimit.hard() + ": the soft limit must not be above the hard one");
                    }
                }

                LogFile.Options.of(host.logOptions());
            } else {
                throw new IllegalArgumentException("-m " + host.memory() + ": the minimum memory limit is 6MB");
            }
        } else {
            throw new IllegalArgumentException(
                    "--cpus " + host.nanoCpus() / 1.0E9 + ": must be more than 0 and at most the "
                            + Runtime.getRuntime().availableProcessors() + " CPUs available");
        }
    }

    public static ContainerSpec normalize(ContainerSpec spec, Image image, String id) {
        List<String> entrypoint = spec.entrypoint() == null ? image.entrypoint() : spec.entrypoint();
        List<String> cmd = spec.cmd() != null && !spec.cmd().isEmpty()
                ? spec.cmd()
                : (spec.entrypoint() == null ? image.cmd() : List.of());
        if (entrypoint.isEmpty() && cmd.isEmpty()) {
            throw new IllegalArgumentException(
                    "no command specified: the image has no Entrypoint or Cmd; give one after the image");
        }

        boolean hostNetwork = spec.host().network().equals("host");
        String hostname = spec.hostname() != null && !spec.hostname().isEmpty()
                ? spec.hostname()
                : (hostNetwork ? hostsName() : id.substring(0, 12));
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
                spec.host().withBinds(binds));
    }

    public static List<String> command(ContainerSpec normalized) {
        return Stream.concat(normalized.entrypoint().stream(), normalized.cmd().stream())
                .toList();
    }

    public static RunConfig runConfig(
            ContainerSpec normalized, Path rootfs, List<Volume> volumes, int consoleRows, int consoleColumns) {
        UserResolution user = UserResolution.resolve(normalized.user(), rootfs);
        ArrayList<String> env = new ArrayList<>(normalized.env());
        if (env.stream().noneMatch(variable -> variable.startsWith("HOME="))) {
            env.add("HOME=" + user.home());
        }

        RootDirectory root = RootDirectory.open(rootfs.toString());

        try {
            root.makeDirectories(normalized.workingDir(), 493);
        } catch (Throwable var11) {
            if (root != null) {
                try {
                    root.close();
                } catch (Throwable var10) {
                    var11.addSuppressed(var10);
                }
            }

            throw var11;
        }

        if (root != null) {
            root.close();
        }

        ContainerSpec.HostSettings host = normalized.host();
        return new RunConfig(
                command(normalized),
                env,
                normalized.workingDir(),
                user,
                normalized.hostname(),
                "merged",
                normalized.tty(),
                consoleRows,
                consoleColumns,
                volumes,
                host.memory(),
                swapIsAccounted(),
                host.nanoCpus() / 10000L,
                host.pidsLimit() > 0L ? host.pidsLimit() : 0L,
                host.network().equals("host"),
                Capabilities.of(host.capAdd(), host.capDrop(), host.privileged()),
                host.privileged(),
                host.ulimits(),
                host.tmpfs(),
                host.readOnlyRootfs(),
                CGROUPS.limitsOnV2());
    }

    private static String hostsName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the host's name: " + e.getMessage(), e);
        }
    }

    private static boolean swapIsAccounted() {
        CgroupLayout layout = CGROUPS;
        return layout.limitsOnV2()
                ? true
                : layout.hasV1("memory")
                        && Files.exists(
                                ((Path) layout.v1Mounts().get("memory")).resolve("memory.memsw.limit_in_bytes"));
    }
}
