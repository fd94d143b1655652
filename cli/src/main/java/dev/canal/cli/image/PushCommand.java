package dev.canal.cli.image;

import dev.canal.images.ImageReference;
import dev.canal.images.registry.ImagePusher;
import dev.canal.images.registry.PushOptions;
import dev.canal.images.registry.PushProgress;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code canal push NAME[:TAG]}: sends an image of the store to the registry its name names, as
 * {@code docker push} does (tag it first with {@code canal tag} to give it a registry's name).
 * Failures are one line, {@code canal: push NAME: what went wrong}, and exit status 1.
 */
@Command(
        name = "push",
        mixinStandardHelpOptions = true,
        description = "Upload an image to a registry.",
        footer = RegistryAccess.FOOTER)
public final class PushCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print only the image's name when done, as docker push --quiet.")
    boolean quiet;

    @Mixin
    RegistryAccess registry;

    @Parameters(paramLabel = "NAME[:TAG]", description = "The image's name, e.g. localhost:5000/bb:1.0.")
    String name;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try {
            ImageReference reference = ImageReference.parse(name);
            var pusher = new ImagePusher(
                    Commands.canal(spec).images(),
                    PushOptions.defaults()
                            .withInsecureRegistries(registry.insecureRegistries())
                            .withCredentials(registry.credentialLookup()));
            PushProgress progress = quiet ? PushProgress.NONE : new PushProgressPrinter(out, PullCommand.isTerminal());
            pusher.push(reference, progress);
            if (quiet) {
                out.println(reference);
            }
            out.flush();
            return 0;
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("canal: push " + name + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
    }
}
