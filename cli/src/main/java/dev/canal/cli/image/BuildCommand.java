package dev.canal.cli.image;

import dev.canal.engine.Engine;
import dev.canal.engine.build.BuildRequest;
import dev.canal.engine.build.ImageBuilder;
import dev.canal.images.Image;
import dev.canal.images.ImageReference;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code canal build -t NAME [-f FILE] [--build-arg K=V] [--target T] [--no-cache] CONTEXT}:
 * docker's classic builder ({@code DOCKER_BUILDKIT=0 docker build}) in-process, on the
 * engine's store, with its output. The context is a directory; the Dockerfile is
 * {@code CONTEXT/Dockerfile} unless {@code -f} names another (relative to the current
 * directory, as docker reads it).
 */
@Command(
        name = "build",
        mixinStandardHelpOptions = true,
        description = "Build an image from a Dockerfile (docker's classic builder).")
public final class BuildCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-t", "--tag"},
            paramLabel = "NAME[:TAG]",
            description = "Name the image (repeatable).")
    List<String> tags = List.of();

    @Option(
            names = {"-f", "--file"},
            paramLabel = "FILE",
            description = "The Dockerfile (default: CONTEXT/Dockerfile).")
    Path file;

    @Option(names = "--build-arg", paramLabel = "NAME[=VALUE]", description = "A build argument (repeatable).")
    List<String> buildArgs = List.of();

    @Option(names = "--label", paramLabel = "KEY=VALUE", description = "Set a label on the image (repeatable).")
    List<String> labels = List.of();

    @Option(names = "--target", paramLabel = "STAGE", description = "Build up to this stage.")
    String target;

    @Option(names = "--no-cache", description = "Run every step; reuse nothing.")
    boolean noCache;

    @Option(names = "--network", paramLabel = "MODE", description = "RUN's network: none (default) or host.")
    String network;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print only the image id.")
    boolean quiet;

    @Parameters(index = "0", paramLabel = "CONTEXT", description = "The build context: a directory.")
    Path context;

    @Override
    public Integer call() {
        if (!Files.isDirectory(context)) {
            throw new IllegalArgumentException("build context " + context + " is not a directory");
        }
        Path dockerfile = file != null ? file : context.resolve("Dockerfile");
        String text;
        try {
            text = Files.readString(dockerfile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the Dockerfile " + dockerfile + ": " + e.getMessage(), e);
        }
        var request = new BuildRequest(
                context.toAbsolutePath(),
                text,
                tags.stream().map(ImageReference::parse).toList(),
                buildArguments(),
                target,
                noCache,
                pairs(labels, "--label"),
                network == null ? "none" : network);
        PrintWriter out = spec.commandLine().getOut();
        try (Engine engine = Commands.canal(spec).engine()) {
            Image image = new ImageBuilder(engine).build(request, output -> {
                if (!quiet) {
                    out.print(output);
                    out.flush();
                }
            });
            if (quiet) {
                out.println(image.id());
            }
        }
        return 0;
    }

    /** {@code NAME=VALUE}, or {@code NAME} taking the value from the environment (unset: not given). */
    private Map<String, String> buildArguments() {
        var arguments = new LinkedHashMap<String, String>();
        for (String argument : buildArgs) {
            int equals = argument.indexOf('=');
            if (equals < 0) {
                arguments.put(argument, System.getenv(argument));
            } else {
                arguments.put(argument.substring(0, equals), argument.substring(equals + 1));
            }
        }
        return arguments;
    }

    private static Map<String, String> pairs(List<String> options, String option) {
        var pairs = new LinkedHashMap<String, String>();
        for (String pair : options) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException(option + " " + pair + ": not KEY=VALUE");
            }
            pairs.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return pairs;
    }
}
