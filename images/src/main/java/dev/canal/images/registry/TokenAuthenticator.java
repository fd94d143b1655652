package dev.canal.images.registry;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Answers a registry's 401 challenges and remembers the answer per repository, so that later
 * requests carry it from the start.
 *
 * <p>{@code Basic}: the credentials themselves. {@code Bearer} (Docker's token auth,
 * distribution/docs/spec/auth/token.md): a GET to the challenge's {@code realm} with {@code
 * service} and {@code scope=repository:NAME:pull} (or {@code pull,push}), with the credentials as Basic auth when there
 * are any and anonymously otherwise; the JSON answer's {@code token} (or OAuth2's {@code
 * access_token}) then goes in {@code Authorization: Bearer ...}. Tokens are short lived (minutes);
 * a later 401 simply runs the challenge again.
 */
final class TokenAuthenticator {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RegistryHttp http;
    private final Optional<RegistryCredentials> credentials;
    private final String actions;
    private final Map<String, String> authorizationByRepository = new ConcurrentHashMap<>();

    /**
     * @param actions what the client does in a repository, as a token scope names it: {@code pull}, or
     *     {@code pull,push} for a push (which also checks what the repository already has)
     */
    TokenAuthenticator(RegistryHttp http, Optional<RegistryCredentials> credentials, String actions) {
        this.http = http;
        this.credentials = credentials;
        this.actions = actions;
    }

    /** The {@code Authorization} value last earned for {@code repository}, if any. */
    Optional<String> authorization(String repository) {
        return repository == null ? Optional.empty() : Optional.ofNullable(authorizationByRepository.get(repository));
    }

    /**
     * Answers {@code challenge} for working in {@code repository} (null for a login, which works
     * in none); the answer is remembered for the repository.
     */
    String answer(AuthChallenge challenge, String repository) {
        String authorization = switch (challenge.scheme()) {
            case "basic" ->
                credentials
                        .orElseThrow(() -> new RegistryException(
                                "unauthorized: " + http.endpoint().authority()
                                        + " asks for a user name and password and none was given"))
                        .basicAuthorization();
            case "bearer" -> "Bearer " + token(challenge, repository);
            default ->
                throw new RegistryException("unauthorized: " + http.endpoint().authority()
                        + " asks for unsupported authentication " + challenge.scheme());
        };
        if (repository != null) {
            authorizationByRepository.put(repository, authorization);
        }
        return authorization;
    }

    private String token(AuthChallenge challenge, String repository) {
        String realm = challenge
                .parameter("realm")
                .orElseThrow(() -> new RegistryException(
                        http.endpoint().authority() + " sent a Bearer challenge without a realm"));
        var query = new StringBuilder();
        challenge
                .parameter("service")
                .ifPresent(service -> query.append("service=").append(encode(service)));
        // The challenge to a request names the scopes it needs, separated by spaces (a mount
        // needs push here and pull in the repository it mounts from); the token server takes
        // one scope parameter each. The ping's challenge names none.
        // A login (no repository) asks for a token with no scope: it only proves the credentials.
        String scopes = challenge
                .parameter("scope")
                .orElse(repository == null ? "" : "repository:" + repository + ":" + actions);
        for (String scope : scopes.split(" +")) {
            if (!scope.isEmpty()) {
                query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(scope));
            }
        }
        URI uri = URI.create(realm + (realm.contains("?") ? "&" : "?") + query);
        if (credentials.isPresent()
                && uri.getScheme().equals("http")
                && http.endpoint().base().getScheme().equals("https")) {
            // The realm is the registry's choice; an https registry must not send our password over http.
            throw new RegistryException(http.endpoint().authority() + " sends credentials to a plain-http token server "
                    + uri.getAuthority() + "; refusing");
        }
        var request = HttpRequest.newBuilder(uri).GET();
        credentials.ifPresent(c -> request.header("Authorization", c.basicAuthorization()));
        var response = http.exchangeForBytes(request, "the token server " + uri.getAuthority());
        if (response.statusCode() == 401 || response.statusCode() == 403) {
            throw new RegistryException("unauthorized: the token server " + uri.getAuthority() + " refused "
                    + credentials.map(c -> "the credentials of " + c.username()).orElse("an anonymous request")
                    + " (HTTP " + response.statusCode() + ")");
        }
        if (response.statusCode() != 200) {
            throw new RegistryException(
                    "the token server " + uri.getAuthority() + " answered HTTP " + response.statusCode());
        }
        return tokenOf(response.body(), uri);
    }

    private static String tokenOf(byte[] body, URI uri) {
        try {
            JsonNode answer = JSON.readTree(body);
            String token = answer.path("token").asString("");
            token = token.isEmpty() ? answer.path("access_token").asString("") : token;
            if (token.isEmpty()) {
                throw new RegistryException("the token server " + uri.getAuthority() + " sent no token");
            }
            return token;
        } catch (JacksonException e) {
            throw new RegistryException(
                    "the token server " + uri.getAuthority() + " sent invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
