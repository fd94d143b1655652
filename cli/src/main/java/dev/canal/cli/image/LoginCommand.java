package dev.canal.cli.image;

import dev.canal.images.ImageException;
import dev.canal.images.ImageReference;
import dev.canal.images.registry.CredentialHelper;
import dev.canal.images.registry.CredentialStore;
import dev.canal.images.registry.RegistryCredentials;
import dev.canal.images.registry.RegistryLogin;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code canal login [-u USER] [--password-stdin] [REGISTRY]}: checks the credentials with the
 * registry ({@link RegistryLogin}) and keeps them where docker keeps them ({@link
 * CredentialStore}): {@code pull} and {@code push} use them from then on, and so does docker.
 * What is not given on the command line is asked for on the terminal.
 */
@Command(
        name = "login",
        mixinStandardHelpOptions = true,
        description = "Log in to a registry.",
        footer = {
            "",
            "Credentials are kept in $DOCKER_CONFIG/config.json or ~/.docker/config.json (mode 0600),",
            "or in the credential helper its credsStore or credHelpers name."
        })
public final class LoginCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(
            names = {"-u", "--username"},
            paramLabel = "USER",
            description = "The user name.")
    String username;

    @Option(
            names = {"-p", "--password"},
            paramLabel = "PASSWORD",
            description = "The password (prefer --password-stdin: a command line is visible to every user).")
    String password;

    @Option(names = "--password-stdin", description = "Read the password from standard input.")
    boolean passwordStdin;

    @Mixin
    RegistryAccess access;

    @Parameters(
            arity = "0..1",
            paramLabel = "REGISTRY",
            description = "The registry (host[:port]); Docker Hub if none.")
    String registry = ImageReference.DOCKER_HUB;

    @Override
    public Integer call() throws IOException {
        String server = RegistryLogin.registryName(registry);
        try {
            var credentials = new RegistryCredentials(username(), password());
            RegistryLogin.verify(server, credentials, access.insecureRegistries());
            Optional<CredentialHelper> helper = CredentialStore.standard().save(server, credentials);
            var out = spec.commandLine().getOut();
            out.println(helper.map(h -> "Credentials kept by " + h.program())
                    .orElse("Credentials kept in " + CredentialStore.standard().file()));
            out.println("Login Succeeded");
            out.flush();
            return 0;
        } catch (RuntimeException e) {
            spec.commandLine().getErr().println("canal: login " + server + ": " + e.getMessage());
            spec.commandLine().getErr().flush();
            return 1;
        }
    }

    private String username() {
        if (username != null) {
            return username;
        }
        var console = System.console();
        if (console == null || !console.isTerminal()) {
            throw new ImageException("no user name: give -u USER (there is no terminal to ask on)");
        }
        String typed = console.readLine("Username: ");
        if (typed == null || typed.isBlank()) {
            throw new ImageException("no user name given");
        }
        return typed.strip();
    }

    private String password() {
        if (passwordStdin) {
            if (password != null) {
                throw new ImageException("--password and --password-stdin are mutually exclusive");
            }
            try {
                // Not closed: that would close canal's own standard input.
                String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
                if (line == null || line.isEmpty()) {
                    throw new ImageException("no password on standard input");
                }
                return line.stripTrailing();
            } catch (IOException e) {
                throw new ImageException("reading the password from standard input: " + e.getMessage());
            }
        }
        if (password != null) {
            return password;
        }
        var console = System.console();
        if (console == null || !console.isTerminal()) {
            throw new ImageException("no password: give --password-stdin (there is no terminal to ask on)");
        }
        char[] typed = console.readPassword("Password: ");
        if (typed == null || typed.length == 0) {
            throw new ImageException("no password given");
        }
        return new String(typed);
    }
}
