package dev.canal.cli.image;

import dev.canal.images.Digest;
import dev.canal.images.ImageLibrary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code canal image ...}: image management, like {@code docker image}. */
@Command(
        name = "image",
        mixinStandardHelpOptions = true,
        description = "Manage images.",
        subcommands = ImageCommand.Prune.class)
public final class ImageCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code canal image prune}: delete the unpacked layers no image and no container uses. */
    @Command(name = "prune", mixinStandardHelpOptions = true, description = "Remove layers no image or container uses.")
    public static final class Prune implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            ImageLibrary library = Commands.canal(spec).images();
            long reclaimed = 0;
            // Sizes first: a pruned layer's size file goes with it.
            var sizes = new java.util.HashMap<Digest, Long>();
            library.layers()
                    .list()
                    .forEach(layer -> sizes.put(layer, library.layers().size(layer)));
            var out = spec.commandLine().getOut();
            for (Digest layer : library.prune()) {
                out.println("Deleted layer: " + layer);
                reclaimed += sizes.getOrDefault(layer, 0L);
            }
            out.println("Total reclaimed space: " + HumanUnits.size(reclaimed));
            out.flush();
            return 0;
        }
    }
}
