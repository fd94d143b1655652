package dev.canal.images.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code canal login}'s file: docker's config.json, written owner-only with what else it held
 * kept, read back by pulls and pushes, Docker Hub under docker's key for it.
 */
class CredentialStoreTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path home;

    @Test
    void savedCredentialsAreReadBackFromAnOwnerOnlyFileThatKeepsItsOtherSettings() throws Exception {
        Path file = home.resolve("docker/config.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, "{\"proxies\": {\"default\": {\"httpProxy\": \"http://proxy:3128\"}}}");
        var store = CredentialStore.in(file);

        assertEquals(Optional.empty(), store.save("localhost:5000", new RegistryCredentials("me", "pa:ss")));
        store.save("docker.io", new RegistryCredentials("hub", "token"));

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        var config = JSON.readTree(file.toFile());
        assertEquals(
                "http://proxy:3128",
                config.path("proxies").path("default").path("httpProxy").asString());
        assertEquals(
                "bWU6cGE6c3M=",
                config.path("auths").path("localhost:5000").path("auth").asString());
        assertTrue(config.path("auths").has("https://index.docker.io/v1/"), config.toString());
        assertEquals(
                Optional.of(new RegistryCredentials("me", "pa:ss")),
                store.lookup().find("localhost:5000"));
        assertEquals(
                Optional.of(new RegistryCredentials("hub", "token")),
                store.lookup().find("docker.io"));

        assertTrue(store.erase("localhost:5000"));
        assertFalse(store.erase("localhost:5000"));
        assertEquals(Optional.empty(), store.lookup().find("localhost:5000"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void aCredentialHelperThatIsNotInstalledIsOneLineAndNothingIsWritten() throws Exception {
        Path file = Files.writeString(home.resolve("config.json"), "{\"credsStore\": \"canal-test-absent\"}");
        var store = CredentialStore.in(file);

        var error = assertThrows(
                RegistryException.class, () -> store.save("localhost:5000", new RegistryCredentials("me", "secret")));

        assertTrue(
                error.getMessage()
                        .startsWith("cannot run the credential helper docker-credential-canal-test-absent"
                                + " (config.json names it): "),
                error.getMessage());
        assertEquals("{\"credsStore\": \"canal-test-absent\"}", Files.readString(file));
    }

    @Test
    void aMissingDirectoryIsMadeOwnerOnly() throws Exception {
        Path file = home.resolve("new/config.json");
        CredentialStore.in(file).save("localhost:5000", new RegistryCredentials("me", "secret"));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())));
        try (var files = Files.list(file.getParent())) {
            assertEquals(1, files.count(), "no temporary file left beside config.json");
        }
    }
}
