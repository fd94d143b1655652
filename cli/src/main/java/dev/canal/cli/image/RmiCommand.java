package dev.canal.cli.image;

import dev.canal.images.ImageLibrary;
import dev.canal.images.ImageReference;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code canal rmi}: remove images by name or id; their layers stay until {@code canal image prune}. */
@Command(name = "rmi", mixinStandardHelpOptions = true, description = "Remove one or more images.")
public final class RmiCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "Image name or id.")
    List<String> images;

    @Override
    public Integer call() {
        ImageLibrary library = Commands.canal(spec).images();
        for (String image : images) {
            for (ImageReference removed : library.remove(image)) {
                spec.commandLine().getOut().println("Untagged: " + removed.familiarName());
            }
        }
        spec.commandLine().getOut().flush();
        return 0;
    }
}
