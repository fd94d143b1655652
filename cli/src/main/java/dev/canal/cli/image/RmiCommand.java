package dev.canal.cli.image;

import dev.canal.cli.CanalCommand;
import dev.canal.engine.Engine;
import dev.canal.engine.ImageUsers;
import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code canal rmi}: remove images by name or id; their layers stay until {@code canal image
 * prune}. As docker, an image a container was made from (running or stopped) keeps its last
 * name unless {@code -f}: untagging it would leave the container's image without a name.
 */
@Command(name = "rmi", mixinStandardHelpOptions = true, description = "Remove one or more images.")
public final class RmiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-f", "--force"},
            description = "Remove the image even if a container uses it.")
    boolean force;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image name or id.")
    List<String> images;

    @Override
    public Integer call() {
        CanalCommand canal = Commands.canal(spec);
        ImageLibrary library = canal.images();
        for (String image : images) {
            if (!force) {
                try (Engine engine = canal.engine()) {
                    ImageUsers.refuseIfInUse(engine, image);
                }
            }
            for (ImageReference removed : library.remove(image)) {
                spec.commandLine().getOut().println("Untagged: " + removed.familiarName());
            }
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
