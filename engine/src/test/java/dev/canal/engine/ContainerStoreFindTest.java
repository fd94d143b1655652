package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.canal.images.ImageLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a reference finds its container, as docker resolves it: a full id, then a name (with or
 * without the leading slash), then a unique prefix of an id. A full id and a name are read from
 * their own files; a stale name file (the container was renamed meanwhile) is not believed.
 */
class ContainerStoreFindTest {

    @TempDir
    Path dataRoot;

    private ContainerStore store;
    private ContainerRecord web;
    private ContainerRecord db;

    @BeforeEach
    void twoContainers() throws Exception {
        store = new ContainerStore(dataRoot, ImageLibrary.open(dataRoot));
        web = record("ab1" + "0".repeat(61), "web");
        db = record("ab2" + "0".repeat(61), "db");
    }

    private ContainerRecord record(String id, String name) throws Exception {
        Files.createDirectories(store.directory(id));
        store.reserveName(name, id);
        ContainerRecord record =
                ContainerRecord.created(id, name, "busybox", "sha256:0", List.of("true"), "2026-12-07T18:00:00Z", null);
        store.write(record);
        return record;
    }

    @Test
    void aFullIdANameAndAPrefixFindTheirContainer() {
        assertEquals(web, store.find(web.id()));
        assertEquals(web, store.find("web"));
        assertEquals(web, store.find("/web"));
        assertEquals(db, store.find("db"));
        assertEquals(db, store.find("ab2"));
        assertEquals(db, store.find(db.id().substring(0, 12)));
    }

    @Test
    void aNameNoContainerHasIsNotFound() {
        var missing = assertThrows(NoSuchObjectException.class, () -> store.find("cache"));
        assertEquals("No such container: cache", missing.getMessage());
        assertThrows(NoSuchObjectException.class, () -> store.find("c3" + "0".repeat(62)));
    }

    @Test
    void aNameFileWhoseContainerWasRenamedIsNotBelieved() {
        store.write(web.renamed("site"));
        // The old name's file still names web's id, as if its release had not happened yet.
        assertThrows(NoSuchObjectException.class, () -> store.find("web"));
        store.reserveName("site", web.id());
        assertEquals("site", store.find("site").name());
    }

    @Test
    void anAmbiguousPrefixIsDocker_sError() {
        var ambiguous = assertThrows(IllegalArgumentException.class, () -> store.find("ab"));
        assertEquals("multiple containers found with provided prefix: ab", ambiguous.getMessage());
    }
}
