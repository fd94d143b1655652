package dev.canal.images.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Engine API's registry credentials, as the docker CLI sends them in a header and in {@code POST /auth}. */
class RegistryAuthConfigTest {

    @Test
    void theHeaderIsBase64UrlOfTheJsonAuthConfig() {
        String json = "{\"username\":\"me\",\"password\":\"p?>>s\",\"serveraddress\":\"localhost:5000\"}";
        String header = Base64.getUrlEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));

        var config = RegistryAuthConfig.fromHeader(header);

        assertEquals(Optional.of(new RegistryCredentials("me", "p?>>s")), config.credentials());
        assertEquals(Optional.of("localhost:5000"), config.serverAddress());
        assertEquals(config, RegistryAuthConfig.fromJson(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void noHeaderOrAnEmptyConfigIsAnonymous() {
        var anonymous = new RegistryAuthConfig(Optional.empty(), Optional.empty());
        assertEquals(anonymous, RegistryAuthConfig.fromHeader(null));
        assertEquals(anonymous, RegistryAuthConfig.fromHeader(""));
        assertEquals(
                anonymous, RegistryAuthConfig.fromHeader(Base64.getUrlEncoder().encodeToString("{}".getBytes())));
    }

    @Test
    void aHeaderThatIsNotBase64IsOneLine() {
        var error = assertThrows(IllegalArgumentException.class, () -> RegistryAuthConfig.fromHeader("not base64!"));
        assertEquals("X-Registry-Auth is not base64url of a JSON auth config", error.getMessage());
    }
}
