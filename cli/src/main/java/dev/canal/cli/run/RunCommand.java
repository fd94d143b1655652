package dev.canal.cli.run;

import dev.canal.bindings.linux.linux_h;
import dev.canal.cli.ByteSize;
import dev.canal.cli.CanalCommand;
import dev.canal.cli.image.Commands;
import dev.canal.cli.image.PullProgressPrinter;
import dev.canal.images.Image;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import dev.canal.images.registry.DockerConfigCredentials;
import dev.canal.images.registry.ImagePuller;
import dev.canal.images.registry.PullOptions;
import dev.canal.runtime.cgroup.CgroupLayout;
import dev.canal.runtime.container.Container;
import dev.canal.runtime.container.Containers;
import dev.canal.runtime.container.CreateOptions;
import dev.canal.runtime.rootfs.RootDirectory;
import dev.canal.runtime.spawn.EngineChoice;
import dev.canal.runtime.spawn.Stdio;
import dev.canal.runtime.sys.OwnedFd;
import dev.canal.runtime.sys.OwnerOnly;
import dev.canal.runtime.sys.TerminalModes;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code canal run IMAGE [COMMAND...]}: a container from an image, in the foreground, as
 * {@code docker run} without {@code -d}. The image is pulled if missing; its config and the
 * options become a bundle under {@code <root>/containers/<id>}
 * ({@link ContainerStore}, docs/running-images.md); the runtime creates and starts it; canal
 * waits, passing signals on, and exits with the container's status. With {@code --rm} nothing
 * is left afterwards; otherwise the stopped container stays for {@code canal ps -a} and
 * {@code canal rm}. A failure of canal's own is one line {@code canal: ...} and exit status 125,
 * with nothing left behind.
 */
@Command(
        name = "run",
        sortOptions = false,
        description = "Run a command in a new container, in the foreground.",
        footer = {
            "",
            "Networking: the container has a network namespace of its own with only",
            "the loopback interface (docker's --network none), or with --network host",
            "the host's; there are no bridge networks yet.",
            "Exit status: the command's; 125 if canal failed, 126 if the command",
            "cannot be run, 127 if it was not found, 128+N if a signal N ended it."
        })
public final class RunCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--help", usageHelp = true, description = "Show this help (-h is --hostname, as in docker).")
    boolean help;

    @Option(names = "--rm", description = "Remove the container when it exits.")
    boolean remove;

    @Option(names = "--name", paramLabel = "NAME", description = "The container's name (default: a generated one).")
    String name;

    @Option(
            names = {"-e", "--env"},
            paramLabel = "NAME[=VALUE]",
            description = "Set an environment variable; NAME alone copies canal's.")
    List<String> env = List.of();

    @Option(names = "--env-file", paramLabel = "FILE", description = "Read NAME=VALUE lines from a file.")
    List<Path> envFiles = List.of();

    @Option(
            names = {"-w", "--workdir"},
            paramLabel = "DIR",
            description = "The working directory inside the container.")
    String workdir;

    @Option(
            names = {"-u", "--user"},
            paramLabel = "USER[:GROUP]",
            description = "Run as this user (name or uid) and group.")
    String user;

    @Option(
            names = {"-h", "--hostname"},
            paramLabel = "NAME",
            description = "The container's host name (default: its short id).")
    String hostname;

    @Option(
            names = {"-v", "--volume"},
            paramLabel = "HOST:CONTAINER[:ro]",
            description = "Bind a host path into the container.")
    List<String> volumes = List.of();

    @Option(
            names = {"-m", "--memory"},
            paramLabel = "SIZE",
            description = "Memory limit, e.g. 64m (swap: as much again, as docker).")
    String memory;

    @Option(
            names = {"--network", "--net"},
            paramLabel = "MODE",
            defaultValue = "none",
            description = "none (default): only loopback, in a namespace of its own; host: the host's network.")
    String network;

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs' worth of time, e.g. 0.5.")
    Double cpus;

    @Option(names = "--pids-limit", paramLabel = "N", description = "At most N processes and threads.")
    Long pidsLimit;

    @Option(
            names = {"-i", "--interactive"},
            description = "Pass standard input to the container (else it reads /dev/null).")
    boolean interactive;

    @Option(
            names = {"-t", "--tty"},
            description = "Give the container a terminal.")
    boolean tty;

    @Option(names = "--entrypoint", paramLabel = "PROGRAM", description = "Replace the image's entrypoint.")
    String entrypoint;

    @Option(
            names = "--pull",
            paramLabel = "POLICY",
            defaultValue = "missing",
            description = "Pull the image: missing (default), never or always.")
    String pull;

    @Parameters(index = "0", paramLabel = "IMAGE", description = "The image, e.g. busybox or localhost:5000/bb:1.0.")
    String image;

    @Parameters(
            index = "1..*",
            paramLabel = "COMMAND",
            description = "The command and its arguments (default: the image's).")
    List<String> command = List.of();

    /** What was created so far, undone in reverse if run fails before the container has run. */
    private ContainerStore store;

    private String id;
    private boolean nameClaimed;
    private boolean layersMounted;
    private final List<Path> createdSources = new ArrayList<>();

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (interactive && tty && !TerminalModes.isTerminal(0)) {
            // As docker: -it copies a terminal's keys in, so its input must be one.
            err.println("canal: the input device is not a TTY");
            err.flush();
            return 1;
        }
        List<String> args = List.of();
        Path rootfs = null;
        FileChannel runLock = null;
        try {
            var options = Checked.of(this);
            CanalCommand canal = Commands.canal(spec);
            ImageLibrary library = canal.images();
            Image chosen = imageFor(library, err);
            store = new ContainerStore(canal.root(), library);
            id = ContainerStore.newId();
            String containerName = claimName();
            rootfs = store.layers().mount(chosen, id);
            layersMounted = true;
            runLock = store.holdWhileRunning(id);
            args = command(chosen);
            // Recorded first, so that ps, stop and rm -f find the container while it is being made.
            var record = new ContainerRecord(
                    id,
                    containerName,
                    image,
                    chosen.id().toString(),
                    args,
                    Instant.now().toString(),
                    null,
                    null);
            store.write(record);
            RunConfig run = configure(chosen, options, rootfs, args);
            for (Volume volume : run.volumes()) {
                createdSources.addAll(volume.createMissingSource());
            }
            Path bundle = store.directory(id);
            // Owner-only (0600), as Docker's config.v2.json: the environment may hold secrets.
            OwnerOnly.write(
                    bundle.resolve("config.json"), ContainerConfig.json(run).getBytes(StandardCharsets.UTF_8));
            int status = runInForeground(canal.containers(), bundle);
            finish(record.exited(status, Instant.now().toString()));
            return status;
        } catch (IOException | RuntimeException e) {
            int status = ExitStatus.ofFailure(e, args, rootfs);
            undo();
            err.println("canal: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            err.flush();
            return status;
        } finally {
            if (runLock != null) {
                closeQuietly(runLock);
            }
        }
    }

    /** Releases the lock that tells stop and rm -f this run has recorded the container's end. */
    private static void closeQuietly(FileChannel lock) {
        try {
            lock.close();
        } catch (IOException ignored) {
            // The kernel drops the lock when the process ends anyway (fcntl(2)).
        }
    }

    /** The options checked before anything is created. */
    private record Checked(
            List<Volume> volumes, long memory, long cpuQuota, long pidsLimit, List<String> envFileLines) {

        static Checked of(RunCommand run) {
            if (!List.of("missing", "never", "always").contains(run.pull)) {
                throw new IllegalArgumentException("--pull " + run.pull + ": use missing, never or always");
            }
            if (run.workdir != null && !run.workdir.startsWith("/")) {
                throw new IllegalArgumentException(
                        "-w " + run.workdir + ": the working directory must be an absolute path");
            }
            if (run.cpus != null
                    && !(run.cpus > 0 && run.cpus <= Runtime.getRuntime().availableProcessors())) {
                throw new IllegalArgumentException("--cpus " + run.cpus + ": must be more than 0 and at most the "
                        + Runtime.getRuntime().availableProcessors() + " CPUs available");
            }
            if (run.pidsLimit != null && run.pidsLimit <= 0) {
                throw new IllegalArgumentException("--pids-limit " + run.pidsLimit + ": must be at least 1");
            }
            if (!List.of("none", "host").contains(run.network)) {
                throw new IllegalArgumentException("--network " + run.network
                        + ": use none or host; bridge and user-defined networks are not there yet");
            }
            int hostnameBytes = run.hostname == null ? 0 : run.hostname.getBytes(StandardCharsets.UTF_8).length;
            if (hostnameBytes > HOST_NAME_MAX) {
                throw new IllegalArgumentException("--hostname " + run.hostname + ": " + hostnameBytes
                        + " bytes; a host name is at most " + HOST_NAME_MAX
                        + " (HOST_NAME_MAX, sethostname(2))");
            }
            return new Checked(
                    run.volumes.stream().map(Volume::parse).toList(),
                    run.memory == null ? 0 : ByteSize.parse(run.memory, "-m"),
                    run.cpus == null ? 0 : Math.round(run.cpus * ContainerConfig.CPU_PERIOD),
                    run.pidsLimit == null ? 0 : run.pidsLimit,
                    run.envFiles.stream()
                            .flatMap(file -> Environment.readFile(file).stream())
                            .toList());
        }
    }

    /** sethostname(2) takes at most this many bytes (HOST_NAME_MAX). */
    private static final int HOST_NAME_MAX = 64;

    /** The image, pulled first if it is missing (or always, with --pull always), as docker run does. */
    private Image imageFor(ImageLibrary library, PrintWriter err) {
        var local = pull.equals("always") ? java.util.Optional.<Image>empty() : library.find(image);
        if (local.isPresent()) {
            return local.get();
        }
        ImageReference reference = ImageReference.parse(image);
        if (pull.equals("never")) {
            throw new IllegalArgumentException("no such image: " + reference.familiarName() + " (and --pull never)");
        }
        if (pull.equals("missing")) {
            err.println("Unable to find image '" + reference.familiarName() + "' locally");
            err.flush();
        }
        var puller = new ImagePuller(
                library,
                PullOptions.defaults()
                        .withCredentials(DockerConfigCredentials.read(DockerConfigCredentials.defaultFile())));
        return puller.pull(reference, new PullProgressPrinter(err, false)).image();
    }

    private String claimName() {
        if (name != null) {
            store.reserveName(name, id);
            nameClaimed = true;
            return name;
        }
        for (int attempt = 0; ; attempt++) {
            String generated = ContainerNames.random() + (attempt < 5 ? "" : "_" + attempt);
            if (store.claimName(generated, id)) {
                name = generated;
                nameClaimed = true;
                return generated;
            }
        }
    }

    /** Entrypoint and command as docker merges them: COMMAND replaces Cmd, --entrypoint replaces Entrypoint (and drops Cmd). */
    private List<String> command(Image chosen) {
        List<String> entry =
                entrypoint == null ? chosen.entrypoint() : entrypoint.isEmpty() ? List.of() : List.of(entrypoint);
        List<String> arguments = !command.isEmpty() ? command : entrypoint == null ? chosen.cmd() : List.of();
        List<String> merged = Stream.concat(entry.stream(), arguments.stream()).toList();
        if (merged.isEmpty()) {
            throw new IllegalArgumentException(
                    "no command specified: the image has no Entrypoint or Cmd; give one after the image");
        }
        return merged;
    }

    private RunConfig configure(Image chosen, Checked options, Path rootfs, List<String> args) {
        boolean hostNetwork = network.equals("host");
        // docker: with the host's network, the host's name too, unless -h says otherwise.
        String host = hostname != null ? hostname : hostNetwork ? hostsName() : id.substring(0, 12);
        UserResolution resolved = UserResolution.resolve(user != null ? user : chosen.user(), rootfs);
        Environment environment = Environment.base(host, tty)
                .with(chosen.env())
                .withOptions(options.envFileLines(), System.getenv(), "--env-file")
                .withOptions(env, System.getenv(), "-e");
        if (!environment.has("HOME")) {
            environment.set("HOME", resolved.home());
        }
        String cwd = workdir != null ? workdir : chosen.workingDir();
        try (var root = RootDirectory.open(rootfs.toString())) {
            // docker creates a missing working directory; it lands in the container's own layer.
            root.makeDirectories(cwd, 0755);
        }
        TerminalModes.Size size = tty ? TerminalSession.callerSize() : new TerminalModes.Size(0, 0);
        return new RunConfig(
                args,
                environment.toList(),
                cwd,
                resolved,
                host,
                "merged",
                tty,
                size.rows(),
                size.columns(),
                options.volumes(),
                options.memory(),
                swapIsAccounted(),
                options.cpuQuota(),
                options.pidsLimit(),
                hostNetwork);
    }

    /** The host's name, as uname(2) gives it (proc(5), /proc/sys/kernel/hostname). */
    private static String hostsName() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the host's name: " + e.getMessage(), e);
        }
    }

    /**
     * Whether a memory-plus-swap limit can be set here: cgroup v1 has memory.memsw.* only with
     * swap accounting on; docker likewise leaves the swap limit out when it cannot be set.
     */
    private static boolean swapIsAccounted() {
        CgroupLayout layout = CgroupLayout.detect();
        if (layout.limitsOnV2()) {
            return true;
        }
        return layout.hasV1("memory")
                && Files.exists(layout.v1Mounts().get("memory").resolve("memory.memsw.limit_in_bytes"));
    }

    /** Creates, starts and waits for the container, then deletes its runtime state whatever happened. */
    private int runInForeground(Containers containers, Path bundle) {
        Container container;
        try (var devNull =
                interactive ? null : OwnedFd.open("/dev/null", linux_h.O_RDONLY() | linux_h.O_CLOEXEC(), 0)) {
            Stdio stdio = new Stdio(devNull == null ? 0 : devNull.fd(), 1, 2);
            container = containers.create(id, bundle, new CreateOptions(EngineChoice.AUTO, stdio));
        }
        try {
            // Before start: a stop request that comes as soon as the program runs must reach it.
            SignalForwarding.toContainer(container);
            container.start();
            if (tty) {
                try (var master = container.terminal().orElseThrow();
                        var session = TerminalSession.attach(master, interactive)) {
                    session.copyOutput();
                }
            }
            return container.waitForExit();
        } finally {
            container.delete(true);
        }
    }

    /** After the container ended: with --rm everything goes; otherwise the record stays and the overlay is unmounted. */
    private void finish(ContainerRecord record) {
        if (remove) {
            store.remove(record);
        } else {
            store.write(record);
            store.layers().unmount(id);
        }
    }

    private void undo() {
        try {
            if (layersMounted) {
                store.layers().remove(id);
            }
            if (nameClaimed) {
                store.releaseName(name);
            }
            for (Path directory : createdSources.reversed()) {
                Files.deleteIfExists(directory);
            }
        } catch (IOException | RuntimeException e) {
            spec.commandLine()
                    .getErr()
                    .println("canal: cleaning up container " + id + " failed too: " + e.getMessage());
        }
    }
}
