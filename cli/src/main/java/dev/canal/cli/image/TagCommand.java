package dev.canal.cli.image;

import dev.canal.images.ImageReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code canal tag SOURCE TARGET}: gives an image another name, as {@code docker tag} does;
 * {@code canal tag busybox localhost:5000/bb:1.0} before {@code canal push localhost:5000/bb:1.0}.
 * Silent on success, as docker's.
 */
@Command(
        name = "tag",
        mixinStandardHelpOptions = true,
        description = "Create a tag TARGET that refers to the image SOURCE.")
public final class TagCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SOURCE", description = "The image: a name or an id.")
    String source;

    @Parameters(index = "1", paramLabel = "TARGET", description = "The new name, e.g. localhost:5000/bb:1.0.")
    String target;

    @Override
    public Integer call() {
        Commands.canal(spec).images().tag(source, ImageReference.parse(target));
        return 0;
    }
}
