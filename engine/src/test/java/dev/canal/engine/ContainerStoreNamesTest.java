package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Container names as docker takes them (moby's restrictedNamePattern), and one owner per name. */
class ContainerStoreNamesTest {

    @TempDir
    Path dataRoot;

    /** The name rules need no image store. */
    private ContainerStore store() {
        return new ContainerStore(dataRoot, null);
    }

    @Test
    void docker_sNamesAreTaken() {
        ContainerStore store = store();
        for (String name : new String[] {"ab", "web.1", "a_b-c", "0x", "x".repeat(128)}) {
            assertDoesNotThrow(() -> store.reserveName(name, ContainerStore.newId()), name);
        }
    }

    @Test
    void aNameDockerRefusesIsRefusedWithItsMessage() {
        ContainerStore store = store();
        for (String name : new String[] {"a", "_ab", ".ab", "-ab", "a/b", "a b", "", "x".repeat(129)}) {
            var refused = assertThrows(
                    IllegalArgumentException.class, () -> store.reserveName(name, ContainerStore.newId()), name);
            assertEquals(
                    "Invalid container name (" + name + "), only [a-zA-Z0-9][a-zA-Z0-9_.-] are allowed"
                            + " (at least 2, at most 128 characters)",
                    refused.getMessage());
        }
    }

    @Test
    void aNameInUseIsAConflictNamingItsOwner() {
        ContainerStore store = store();
        String owner = ContainerStore.newId();
        store.reserveName("web", owner);
        var conflict = assertThrows(ConflictException.class, () -> store.reserveName("web", ContainerStore.newId()));
        assertEquals(
                "Conflict. The container name \"/web\" is already in use by container \"" + owner
                        + "\". You have to remove (or rename) that container to be able to reuse that name.",
                conflict.getMessage());
    }
}
