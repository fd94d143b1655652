package dev.canal.cli.run;

import dev.canal.cli.ByteSize;
import dev.canal.cli.image.PullProgressPrinter;
import dev.canal.engine.ContainerSpec;
import dev.canal.engine.Environment;
import dev.canal.engine.Resources;
import dev.canal.engine.RestartPolicy;
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
import java.util.stream.Stream;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The options {@code docker run} and {@code docker create} share (a picocli mixin): everything
 * that becomes the container's spec, the image and its command, and the pull policy.
 */
final class CreateOptions {

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
            names = {"--network", "--net"},
            paramLabel = "MODE",
            defaultValue = "none",
            description = "none (default): only loopback, in a namespace of its own; host: the host's network;"
                    + " container:NAME: that running container's.")
    String network;

    @Mixin
    LimitOptions limits;

    @Option(
            names = "--oom-kill-disable",
            description = "At the memory limit, make it wait instead of killing it (cgroup v1 only).")
    boolean oomKillDisable;

    @Option(
            names = "--ulimit",
            paramLabel = "NAME=SOFT[:HARD]",
            description = "A resource limit of setrlimit(2), e.g. nofile=1024:2048.")
    List<String> ulimits = List.of();

    @Option(names = "--shm-size", paramLabel = "SIZE", description = "Size of /dev/shm (default: 64m).")
    String shmSize;

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

    /** The options as the engine takes a container (docker's create request); the engine checks them further. */
    ContainerSpec containerSpec() {
        if (!List.of("missing", "never", "always").contains(pull)) {
            throw new IllegalArgumentException("--pull " + pull + ": use missing, never or always");
        }
        List<String> environment = process.environment(envFiles.stream()
                .flatMap(file -> Environment.readFile(file).stream())
                .toList());
        Resources given = limits.resources();
        Resources.Memory memory = given.memory();
        Resources resources = new Resources(
                given.cpu(),
                new Resources.Memory(memory.limit(), memory.swap(), memory.reservation(), oomKillDisable),
                given.pidsLimit(),
                given.blockIo(),
                ulimits.stream().map(CreateOptions::ulimit).toList(),
                shmSize == null ? 0 : ByteSize.parse(shmSize, "--shm-size"));
        var host = new ContainerSpec.HostSettings(
                volumes,
                remove,
                RestartPolicy.parse(restart),
                resources,
                network,
                false,
                List.of(),
                List.of(),
                false,
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

    /** {@code --ulimit NAME=SOFT[:HARD]}, the hard limit the soft one when not given (docker/go-units ParseUlimit). */
    private static Resources.Ulimit ulimit(String text) {
        int equals = text.indexOf('=');
        String[] limits = text.substring(equals + 1).split(":", -1);
        try {
            if (equals <= 0 || limits.length > 2) {
                throw new NumberFormatException();
            }
            long soft = Long.parseLong(limits[0]);
            long hard = limits.length == 2 ? Long.parseLong(limits[1]) : soft;
            return new Resources.Ulimit(text.substring(0, equals), soft, hard);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--ulimit " + text + ": use NAME=SOFT[:HARD], e.g. nofile=1024:2048");
        }
    }

    /** Pulls the image first if it is missing (or always, with --pull always), as docker run does. */
    void pullIfMissing(ImageLibrary library, PrintWriter err) {
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
