package dev.canal.cli.image;

import dev.canal.images.Digest;
import dev.canal.images.ImageLibrary;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
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

    /**
     * {@code canal image prune}: delete the unpacked layers no image and no container uses.
     * As docker, it asks first unless {@code -f}; anything but y or yes (or no answer, as from
     * /dev/null) keeps everything.
     */
    @Command(name = "prune", mixinStandardHelpOptions = true, description = "Remove layers no image or container uses.")
    public static final class Prune implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(
                names = {"-f", "--force"},
                description = "Do not prompt for confirmation.")
        boolean force;

        @Override
        public Integer call() throws IOException {
            if (!force && !confirmed()) {
                return 0;
            }
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

        /** docker's question, answered on standard input: y or yes, in any case, goes on. */
        private boolean confirmed() throws IOException {
            var out = spec.commandLine().getOut();
            out.print("WARNING! This will remove all layers no image or container uses.\n"
                    + "Are you sure you want to continue? [y/N] ");
            out.flush();
            // Not closed: that would close canal's own standard input.
            String answer = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
        }
    }
}
