package dev.canal.cli.image;

import dev.canal.images.ImageReference;
import dev.canal.images.registry.CredentialLookup;
import dev.canal.images.registry.DockerConfigCredentials;
import dev.canal.images.registry.ImagePuller;
import dev.canal.images.registry.PullOptions;
import dev.canal.images.registry.PullProgress;
import dev.canal.images.registry.RegistryCredentials;
import java.io.PrintWriter;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
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
        footer = {
            "",
            "Registries are spoken to over https, except on localhost, 127.0.0.1, [::1]",
            "and the hosts named with --insecure-registry. Credentials come from --creds,",
            "$CANAL_REGISTRY_CREDS or the auths of ~/.docker/config.json."
        })
public final class PullCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(
            names = {"-q", "--quiet"},
            description = "Print only the image's name when done.")
    boolean quiet;

    @Option(
            names = "--insecure-registry",
            paramLabel = "HOST",
            description = "Use plain http for this registry (host or host:port); may be repeated.")
    List<String> insecureRegistries = List.of();

    @Option(
            names = "--creds",
            paramLabel = "USER:PASSWORD",
            defaultValue = "${env:CANAL_REGISTRY_CREDS}",
            description = "Credentials for the registry (default: $CANAL_REGISTRY_CREDS, else ~/.docker/config.json).")
    String credentials;

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
                            .withInsecureRegistries(Set.copyOf(insecureRegistries))
                            .withCredentials(credentialLookup()));
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

    /** {@code --creds} (or its environment variable) for every registry, else docker's config file. */
    private CredentialLookup credentialLookup() {
        CredentialLookup fromConfig = DockerConfigCredentials.read(DockerConfigCredentials.defaultFile());
        return credentials == null || credentials.isEmpty()
                ? fromConfig
                : CredentialLookup.always(RegistryCredentials.parse(credentials, "--creds"));
    }

    /** Whether standard output is a terminal: then progress redraws in place. */
    private static boolean isTerminal() {
        var console = System.console();
        return console != null && console.isTerminal();
    }
}
