package dev.canal.cli.image;

import dev.canal.images.ImageReference;
import dev.canal.images.registry.ImagePuller;
import dev.canal.images.registry.PullOptions;
import dev.canal.images.registry.PullProgress;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code canal pull NAME}: downloads an image from its registry into the store and names it, as
 * {@code docker pull} does. Failures are one line, {@code canal: pull NAME: what went wrong},
 * and exit status 1.
 */
@Command(
        name = "pull",
        mixinStandardHelpOptions = true,
        description = "Download an image from a registry.",
        footer = RegistryAccess.FOOTER)
public final class PullCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print only the image's name when done.")
    boolean quiet;

    @Mixin
    RegistryAccess registry;

    @Parameters(paramLabel = "NAME", description = "The image, e.g. busybox, localhost:5000/bb:1.0, name@sha256:...")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            ImageReference reference = ImageReference.parse(name);
            var puller = new ImagePuller(
                    Commands.canal(spec).images(),
                    PullOptions.defaults()
                            .withInsecureRegistries(registry.insecureRegistries())
                            .withCredentials(registry.credentialLookup()));
            PullProgress progress = quiet ? PullProgress.NONE : new PullProgressPrinter(out, isTerminal());
            var result = puller.pull(reference, progress);
            if (quiet) {
                out.println(result.image().name());
            }
            return 0;
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("canal: pull " + name + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
    }

    /** Whether standard output is a terminal: then progress redraws in place. */
    static boolean isTerminal() {
        var console = System.console();
        return console != null && console.isTerminal();
    }
}
