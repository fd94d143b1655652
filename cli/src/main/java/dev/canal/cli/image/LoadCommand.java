package dev.canal.cli.image;

import dev.canal.images.Image;
import dev.canal.images.ImageReference;
import dev.canal.images.archive.ImageArchives;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code canal load}, as {@code docker load}: images from an OCI image layout (directory or tar) or a {@code docker save} archive. */
@Command(
        name = "load",
        mixinStandardHelpOptions = true,
        description = "Load images from an OCI image layout (directory or tar) or a docker-archive (docker save).")
public final class LoadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-i", "--input"},
            required = true,
            paramLabel = "PATH",
            description = "The archive or layout directory.")
    Path input;

    @Option(
            names = "--name",
            paramLabel = "NAME",
            description =
                    "Repository for images the archive names only by tag (an OCI layout's 'latest'); the name of an archive's single image otherwise.")
    String name;

    @Override
    public Integer call() {
        ImageReference given = name == null ? null : ImageReference.parse(name);
        for (Image image : ImageArchives.load(Commands.canal(spec).images(), input, given)) {
            spec.commandLine().getOut().println("Loaded image: " + image.name().familiarName());
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
