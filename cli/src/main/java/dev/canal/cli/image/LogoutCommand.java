package dev.canal.cli.image;

import dev.canal.images.ImageReference;
import dev.canal.images.registry.CredentialStore;
import dev.canal.images.registry.RegistryLogin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code canal logout [REGISTRY]}: forgets what {@code canal login} (or {@code docker login}) kept, as {@code docker logout}. */
@Command(name = "logout", mixinStandardHelpOptions = true, description = "Log out from a registry.")
public final class LogoutCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(
            arity = "0..1",
            paramLabel = "REGISTRY",
            description = "The registry (host[:port]); Docker Hub if none.")
    String registry = ImageReference.DOCKER_HUB;

    @Override
    public Integer call() {
        String server = RegistryLogin.registryName(registry);
        boolean erased = CredentialStore.standard().erase(server);
        var out = spec.commandLine().getOut();
        out.println(erased ? "Removing login credentials for " + server : "Not logged in to " + server);
        out.flush();
        return 0;
    }
}
