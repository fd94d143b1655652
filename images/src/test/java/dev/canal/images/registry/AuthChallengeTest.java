package dev.canal.images.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** WWW-Authenticate as registries send it (RFC 7235 section 2.1). */
class AuthChallengeTest {

    @Test
    void aBearerChallengeWithQuotedParameters() {
        var challenge =
                AuthChallenge.parse("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\","
                        + "scope=\"repository:library/busybox:pull,push\"");
        assertEquals("bearer", challenge.scheme());
        assertEquals(
                Map.of(
                        "realm",
                        "https://auth.docker.io/token",
                        "service",
                        "registry.docker.io",
                        "scope",
                        "repository:library/busybox:pull,push"),
                challenge.parameters());
    }

    @Test
    void bareValuesSpacesAndEscapes() {
        var challenge = AuthChallenge.parse("basic Realm=registry, charset=\"UTF-8\", note=\"say \\\"hi\\\"\"");
        assertEquals("basic", challenge.scheme());
        assertEquals(Map.of("realm", "registry", "charset", "UTF-8", "note", "say \"hi\""), challenge.parameters());
    }

    @Test
    void theFirstBasicOrBearerIsChosen() {
        Optional<AuthChallenge> first = AuthChallenge.first(List.of("Negotiate", "Basic realm=\"r\""));
        assertEquals("basic", first.orElseThrow().scheme());
        assertEquals(Optional.empty(), AuthChallenge.first(List.of()));
    }
}
