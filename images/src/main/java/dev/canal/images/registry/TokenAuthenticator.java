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
 * service} and {@code scope=repository:NAME:pull}, with the credentials as Basic auth when there
 * are any and anonymously otherwise; the JSON answer's {@code token} (or OAuth2's {@code
 * access_token}) then goes in {@code Authorization: Bearer ...}. Tokens are short lived (minutes);
 * a later 401 simply runs the challenge again.
 */
final class TokenAuthenticator {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final RegistryHttp http;
    private final Optional<RegistryCredentials> credentials;
    private final Map<String, String> authorizationByRepository = new ConcurrentHashMap<>();

    TokenAuthenticator(RegistryHttp http, Optional<RegistryCredentials> credentials) {
        this.http = http;
        this.credentials = credentials;
    }

    /** The {@code Authorization} value last earned for {@code repository}, if any. */
    Optional<String> authorization(String repository) {
        return Optional.ofNullable(authorizationByRepository.get(repository));
    }

    /** Answers {@code challenge} for pulling from {@code repository}; the answer is remembered. */
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
        authorizationByRepository.put(repository, authorization);
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
        // The challenge to a request names the scope it needs; the ping's challenge names none.
        String scope = challenge.parameter("scope").orElse("repository:" + repository + ":pull");
        query.append(query.isEmpty() ? "" : "&").append("scope=").append(encode(scope));
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
