package dev.canal.cli.run;

import dev.canal.cli.image.Commands;
import dev.canal.engine.ContainerCommit;
import dev.canal.engine.Engine;
import dev.canal.engine.build.CommitChanges;
import dev.canal.images.Image;
import dev.canal.images.ImageReference;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code canal commit [-a AUTHOR] [-m MESSAGE] [-c INSTRUCTION] CONTAINER [REPOSITORY[:TAG]]}, as
 * {@code docker commit}: the container's changes become a new image on top of its own, with
 * the container's command and settings as the image's. Prints the new image's id.
 */
@Command(
        name = "commit",
        mixinStandardHelpOptions = true,
        description = "Create a new image from a container's changes.")
public final class CommitCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-a", "--author"},
            paramLabel = "AUTHOR",
            description = "Author (e.g. \"Jane Doe <jane@example.com>\").")
    String author;

    @Option(
            names = {"-m", "--message"},
            paramLabel = "MESSAGE",
            description = "Commit message.")
    String message;

    @Option(
            names = {"-c", "--change"},
            paramLabel = "INSTRUCTION",
            description =
                    "A Dockerfile instruction for the new image's config: CMD, ENTRYPOINT, ENV, EXPOSE, HEALTHCHECK,"
                            + " LABEL, ONBUILD, STOPSIGNAL, USER, VOLUME or WORKDIR (repeatable).")
    List<String> changes = List.of();

    @Option(
            names = {"-p", "--pause"},
            negatable = true,
            defaultValue = "true",
            description = "Freeze the container while it is committed (default true).")
    boolean pause;

    @Parameters(index = "0", paramLabel = "CONTAINER", description = "The container's name or id.")
    String container;

    @Parameters(index = "1", arity = "0..1", paramLabel = "REPOSITORY[:TAG]", description = "The new image's name.")
    String name;

    @Override
    public Integer call() {
        ImageReference reference = name == null ? null : ImageReference.parse(name);
        try (Engine engine = Commands.canal(spec).engine()) {
            Image image = engine.commit(
                    container,
                    new ContainerCommit.Request(reference, author, message, CommitChanges.parse(changes), pause, null));
            spec.commandLine().getOut().println(image.id());
        }
        return 0;
    }
}
