package dev.canal.cli.image;

import dev.canal.engine.build.CommitChanges;
import dev.canal.images.Image;
import dev.canal.images.ImageReference;
import dev.canal.images.archive.ImageArchives;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code canal import}: a root filesystem tarball becomes a one-layer image, as with {@code docker import}. */
@Command(
        name = "import",
        mixinStandardHelpOptions = true,
        description = "Import a root filesystem tarball (plain, gzip or zstd) as a one-layer image.")
public final class ImportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FILE", description = "The tarball.")
    Path tarball;

    @Parameters(index = "1", paramLabel = "REPOSITORY[:TAG]", description = "The new image's name.")
    String name;

    @Option(
            names = {"-c", "--change"},
            paramLabel = "INSTRUCTION",
            description = "A Dockerfile instruction for the image's config (CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK,"
                    + " LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME, WORKDIR), as docker import --change.")
    List<String> changes = List.of();

    @Override
    public Integer call() {
        Image image = ImageArchives.importRootfs(
                Commands.canal(spec).images(), tarball, ImageReference.parse(name), CommitChanges.forImport(changes));
        spec.commandLine().getOut().println(image.id());
        spec.commandLine().getOut().flush();
        return 0;
    }
}
