package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeStoreTest {

    @TempDir
    Path dataRoot;

    @Test
    void createIsIdempotentAndKeepsTheFirstLabels() {
        VolumeStore volumes = new VolumeStore(dataRoot);
        VolumeStore.Info first = volumes.create("cache", Map.of("a", "1"));
        assertEquals(dataRoot.resolve("volumes/cache/_data"), first.mountpoint());
        assertTrue(Files.isDirectory(first.mountpoint()));
        assertEquals(first, volumes.create("cache", Map.of("b", "2")));
        assertEquals(List.of(first), volumes.list());
    }

    @Test
    void anAnonymousVolumeIsLabelledSoRmVCanFindIt() {
        VolumeStore volumes = new VolumeStore(dataRoot);
        Volume anonymous = volumes.resolve(Volume.parse("/data"));
        assertEquals("/data", anonymous.container());
        assertTrue(volumes.inspect(anonymous.name()).orElseThrow().labels().containsKey(VolumeStore.ANONYMOUS));
        Volume named = volumes.resolve(Volume.parse("named:/data"));
        assertEquals(Map.of(), volumes.inspect("named").orElseThrow().labels());
        assertEquals(dataRoot.resolve("volumes/named/_data"), named.host());
    }

    @Test
    void removeDeletesTheDataAndRefusesAnUnknownName() throws Exception {
        VolumeStore volumes = new VolumeStore(dataRoot);
        Path data = volumes.create("gone", Map.of()).mountpoint();
        Files.writeString(data.resolve("file"), "x");
        volumes.remove("gone");
        assertTrue(Files.notExists(dataRoot.resolve("volumes/gone")));
        assertThrows(NoSuchObjectException.class, () -> volumes.remove("gone"));
        assertThrows(IllegalArgumentException.class, () -> volumes.create("../escape", Map.of()));
        assertEquals(java.util.Optional.empty(), volumes.inspect("../escape"));
    }
}
