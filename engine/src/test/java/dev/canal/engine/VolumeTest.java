package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VolumeTest {

    @TempDir
    Path directory;

    @Test
    void aBindMountIsHostColonContainerWithAnOptionalMode() {
        assertEquals(new Volume(Path.of("/srv/data"), "/data", false), Volume.parse("/srv/data/:/data"));
        assertEquals(new Volume(Path.of("/srv"), "/data", true), Volume.parse("/srv:/data/./:ro"));
        assertEquals(new Volume(Path.of("/srv"), "/data", false), Volume.parse("/srv:/data:rw"));
        assertFalse(Volume.parse("/srv:/data").isVolume());
    }

    @Test
    void aNameInsteadOfAHostPathIsANamedVolume() {
        Volume named = Volume.parse("cache:/var/cache:ro");
        assertTrue(named.isVolume());
        assertEquals("cache", named.name());
        assertEquals("/var/cache", named.container());
        assertTrue(named.readOnly());
    }

    @Test
    void aLonePathIsAnAnonymousVolume() {
        Volume anonymous = Volume.parse("/data");
        assertTrue(anonymous.isVolume());
        assertTrue(anonymous.name().matches("[0-9a-f]{64}"), anonymous.name());
        assertEquals("/data", anonymous.container());
    }

    @Test
    void refusesWhatDockerRefuses() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Volume.parse("/a:data"))
                .getMessage()
                .contains("must be absolute"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Volume.parse("/a:/b:rx"))
                .getMessage()
                .contains("unknown option \"rx\""));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Volume.parse("-bad:/b"))
                .getMessage()
                .contains("neither an absolute host path nor a volume name"));
        assertThrows(IllegalArgumentException.class, () -> Volume.parse("relative"));
        assertThrows(IllegalArgumentException.class, () -> Volume.parse("/a:/b:ro:extra"));
    }

    @Test
    void mountOptionsAreARecursivePrivateBindReadOnlyIfAsked() {
        assertEquals(List.of("rbind", "rprivate"), Volume.parse("/a:/b").options());
        assertEquals(
                List.of("rbind", "rprivate", "ro"), Volume.parse("/a:/b:ro").options());
    }

    @Test
    void aMissingHostDirectoryIsCreatedWithItsMissingParentsWhichAreReturned() throws Exception {
        Path host = directory.resolve("x/y/z");
        List<Path> made = Volume.parse(host + ":/z").createMissingSource();
        assertEquals(List.of(directory.resolve("x"), directory.resolve("x/y"), host), made);
        assertTrue(Files.isDirectory(host));
        assertEquals(List.of(), Volume.parse(host + ":/z").createMissingSource(), "nothing more to make");
    }
}
