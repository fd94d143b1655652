package dev.canal.images.registry;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A docker credential helper, the program {@code docker-credential-NAME} on the PATH that keeps
 * passwords in a keychain rather than in config.json (docker/docker-credential-helpers): one
 * action per run, named by the argument, its input on standard input, its answer on standard
 * output.
 * <ul>
 *   <li>{@code get}: the server's name in, {@code {"ServerURL", "Username", "Secret"}} out; exit
 *       status 1 with {@code credentials not found in native keychain} when it has none;</li>
 *   <li>{@code store}: {@code {"ServerURL", "Username", "Secret"}} in;</li>
 *   <li>{@code erase}: the server's name in.</li>
 * </ul>
 * A failure's message is what the helper printed (it prints errors on standard output).
 */
public final class CredentialHelper {

    /** The helpers' own words for "no credentials for that server" (credentials/error.go). */
    private static final String NOT_FOUND = "credentials not found in native keychain";

    private static final long TIMEOUT_SECONDS = 60;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String program;

    private CredentialHelper(String program) {
        this.program = program;
    }

    /** The helper {@code name} of config.json's {@code credsStore} or {@code credHelpers}: {@code docker-credential-NAME}. */
    public static CredentialHelper named(String name) {
        if (!name.matches("[A-Za-z0-9._-]+")) {
            throw new IllegalArgumentException("credential helper name '" + name + "' is not a plain program name");
        }
        return new CredentialHelper("docker-credential-" + name);
    }

    /** The program's name, as messages give it. */
    public String program() {
        return program;
    }

    /** {@code get}: the credentials for {@code server}, or empty when the helper has none. */
    public Optional<RegistryCredentials> get(String server) {
        Answer answer = run("get", server);
        if (answer.status() != 0) {
            if (answer.output().strip().equals(NOT_FOUND)) {
                return Optional.empty();
            }
            throw answer.failure(program, "get", server);
        }
        try {
            JsonNode credentials = JSON.readTree(answer.output());
            String username = credentials.path("Username").asString("");
            return username.isEmpty()
                    ? Optional.empty()
                    : Optional.of(new RegistryCredentials(
                            username, credentials.path("Secret").asString("")));
        } catch (JacksonException e) {
            throw new RegistryException(program + " get " + server + ": not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code store}: keeps {@code credentials} for {@code server}. */
    public void store(String server, RegistryCredentials credentials) {
        var input = JSON.createObjectNode()
                .put("ServerURL", server)
                .put("Username", credentials.username())
                .put("Secret", credentials.password());
        Answer answer = run("store", JSON.writeValueAsString(input));
        if (answer.status() != 0) {
            throw answer.failure(program, "store", server);
        }
    }

    /** {@code erase}: forgets {@code server}'s credentials; true if the helper had some. */
    public boolean erase(String server) {
        Answer answer = run("erase", server);
        if (answer.status() != 0) {
            if (answer.output().strip().equals(NOT_FOUND)) {
                return false;
            }
            throw answer.failure(program, "erase", server);
        }
        return true;
    }

    /** What one run printed and how it ended. */
    private record Answer(int status, String output) {

        RegistryException failure(String program, String action, String server) {
            String said = output.strip().lines().findFirst().orElse("exit status " + status);
            return new RegistryException(program + " " + action + " " + server + ": " + said);
        }
    }

    private Answer run(String action, String input) {
        Process process;
        try {
            // The helper's errors go to our standard error as it wrote them; its answer is read here.
            process = new ProcessBuilder(program, action)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new RegistryException("cannot run the credential helper " + program + " (config.json names it): "
                    + RegistryHttp.rootMessage(e));
        }
        try {
            try (OutputStream stdin = process.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new RegistryException(
                        program + " " + action + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
            return new Answer(process.exitValue(), output);
        } catch (IOException e) {
            process.destroyForcibly();
            throw new RegistryException(program + " " + action + ": " + RegistryHttp.rootMessage(e), e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new RegistryException(program + " " + action + " interrupted", e);
        }
    }
}
