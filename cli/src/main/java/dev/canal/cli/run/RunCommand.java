package dev.canal.cli.run;

import dev.canal.cli.ByteSize;
import dev.canal.cli.CanalCommand;
import dev.canal.cli.image.Commands;
import dev.canal.cli.image.PullProgressPrinter;
import dev.canal.engine.ContainerRecord;
import dev.canal.engine.ContainerSpec;
import dev.canal.engine.Engine;
import dev.canal.engine.Environment;
import dev.canal.engine.ExitStatus;
import dev.canal.engine.RestartPolicy;
import dev.canal.engine.StartFailedException;
import dev.canal.engine.net.NetworkRequest;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import dev.canal.images.registry.DockerConfigCredentials;
import dev.canal.images.registry.ImagePuller;
import dev.canal.images.registry.PullOptions;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code canal run IMAGE [COMMAND...]}, as {@code docker run}: the image pulled if missing, then
 * the options turned into a container spec that the engine creates and starts ({@link Engine},
 * docs/running-images.md). In the foreground canal is the container's monitor: it copies the
 * container's streams to and from its own, passes signals on and exits with the container's
 * status. With {@code -d} a {@link DetachedMonitor} stays with the container and canal prints
 * its id. A failure of canal's own is one line {@code canal: ...} and exit status 125 (126 or 127
 * if the program cannot be run, as docker's); with {@code --rm} nothing is left behind.
 */
@Command(
        name = "run",
        sortOptions = false,
        description = "Run a command in a new container.",
        footer = {
            "",
            "Networking: the container has a network namespace of its own with only",
            "the loopback interface (docker's --network none), with --network host",
            "the host's, with --network container:NAME that of another running container.",
            "Exit status: the command's; 125 if canal failed, 126 if the command",
            "cannot be run, 127 if it was not found, 128+N if a signal N ended it."
        })
public final class RunCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--help", usageHelp = true, description = "Show this help (-h is --hostname, as in docker).")
    boolean help;

    @Option(
            names = {"-d", "--detach"},
            description = "Run it in the background and print its id (a canal monitor stays with it).")
    boolean detach;

    @Option(names = "--rm", description = "Remove the container when it exits.")
    boolean remove;

    @Option(names = "--name", paramLabel = "NAME", description = "The container's name (default: a generated one).")
    String name;

    @Mixin
    ProcessOptions process;

    @Option(names = "--env-file", paramLabel = "FILE", description = "Read NAME=VALUE lines from a file.")
    List<Path> envFiles = List.of();

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
            description = "none (default): only loopback, in a namespace of its own; host: the host's network;"
                    + " container:NAME: that running container's.")
    String network;

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs' worth of time, e.g. 0.5.")
    Double cpus;

    @Option(names = "--pids-limit", paramLabel = "N", description = "At most N processes and threads.")
    Long pidsLimit;

    @Option(
            names = "--restart",
            paramLabel = "POLICY",
            defaultValue = "no",
            description = "no (default), on-failure[:N], always or unless-stopped.")
    String restart;

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

    @Override
    public Integer call() {
        PrintWriter err = spec.commandLine().getErr();
        if (!detach && process.refuseInputThatIsNoTerminal(err)) {
            return 1;
        }
        CanalCommand canal = Commands.canal(spec);
        try (Engine engine = canal.engine()) {
            ContainerSpec container = containerSpec();
            pullIfMissing(engine.images(), err);
            ContainerRecord record = engine.create(container, name);
            if (!detach) {
                return new ForegroundRun(engine, record.id(), process.interactive, process.tty, remove).await();
            }
            DetachedMonitor.Report report = DetachedMonitor.start(canal, record.id());
            if (report.status() != 0) {
                return fail(err, report.message(), report.status());
            }
            spec.commandLine().getOut().println(record.id());
            spec.commandLine().getOut().flush();
            return 0;
        } catch (StartFailedException e) {
            return fail(err, e.getMessage(), e.status());
        } catch (RuntimeException e) {
            return fail(err, e.getMessage() == null ? e.toString() : e.getMessage(), ExitStatus.CANAL_FAILED);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return fail(err, "interrupted", ExitStatus.CANAL_FAILED);
        }
    }

    private static int fail(PrintWriter err, String message, int status) {
        err.println("canal: " + message);
        err.flush();
        return status;
    }

    /** The options as the engine takes a container (docker's create request); the engine checks them further. */
    private ContainerSpec containerSpec() {
        if (!List.of("missing", "never", "always").contains(pull)) {
            throw new IllegalArgumentException("--pull " + pull + ": use missing, never or always");
        }
        List<String> environment = process.environment(envFiles.stream()
                .flatMap(file -> Environment.readFile(file).stream())
                .toList());
        var host = new ContainerSpec.HostSettings(
                volumes,
                remove,
                RestartPolicy.parse(restart),
                memory == null ? 0 : ByteSize.parse(memory, "-m"),
                cpus == null ? 0 : Math.round(cpus * 1e9),
                pidsLimit == null ? 0 : pidsLimit,
                network,
                false,
                List.of(),
                List.of(),
                false,
                List.of(),
                Map.of(),
                Map.of(),
                process.consoleSize(),
                NetworkRequest.NONE);
        return new ContainerSpec(
                image,
                command,
                entrypoint == null
                        ? null
                        : Stream.of(entrypoint).filter(e -> !e.isEmpty()).toList(),
                environment,
                process.workdir,
                process.user,
                hostname,
                process.tty,
                process.interactive,
                process.interactive,
                Map.of(),
                null,
                null,
                host);
    }

    /** Pulls the image first if it is missing (or always, with --pull always), as docker run does. */
    private void pullIfMissing(ImageLibrary library, PrintWriter err) {
        if (!pull.equals("always") && library.find(image).isPresent()) {
            return;
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
        puller.pull(reference, new PullProgressPrinter(err, false));
    }
}
