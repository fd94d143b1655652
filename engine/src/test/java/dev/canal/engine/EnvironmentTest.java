package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EnvironmentTest {

    @TempDir
    Path directory;

    @Test
    void theBaseHasDockersPathAndHostnameAndTermOnlyWithATerminal() {
        assertEquals(
                List.of(Environment.DEFAULT_PATH, "HOSTNAME=box"),
                Environment.base("box", false).toList());
        assertEquals(
                List.of(Environment.DEFAULT_PATH, "HOSTNAME=box", "TERM=xterm"),
                Environment.base("box", true).toList());
    }

    @Test
    void laterAssignmentsReplaceEarlierOnesInPlace() {
        List<String> env = Environment.base("box", false)
                .with(List.of("PATH=/image/bin", "A=1"))
                .with(List.of("A=2", "B=3"))
                .toList();
        assertEquals(List.of("PATH=/image/bin", "HOSTNAME=box", "A=2", "B=3"), env);
    }

    @Test
    void anOptionWithoutAValueTakesTheCallersValueOrIsLeftOut() {
        Environment env = Environment.empty()
                .withOptions(List.of("A=x", "FROM_CALLER", "MISSING"), Map.of("FROM_CALLER", "y"), "-e");
        assertEquals(List.of("A=x", "FROM_CALLER=y"), env.toList());
        assertFalse(env.has("MISSING"));
        assertTrue(env.has("A"));
    }

    @Test
    void refusesAnEmptyOrSpacedName() {
        assertEquals(
                "-e =x: not NAME=value",
                assertThrows(
                                IllegalArgumentException.class,
                                () -> Environment.empty().withOptions(List.of("=x"), Map.of(), "-e"))
                        .getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> Environment.empty().withOptions(List.of("A B=x"), Map.of(), "-e"));
    }

    @Test
    void anEnvFileSkipsCommentsAndBlankLines() throws Exception {
        Path file = directory.resolve("env");
        Files.writeString(file, "# a comment\n\n  A=1\nB\n   # indented comment\n");
        assertEquals(List.of("A=1", "B"), Environment.readFile(file));
        assertTrue(
                assertThrows(java.io.UncheckedIOException.class, () -> Environment.readFile(directory.resolve("none")))
                        .getMessage()
                        .startsWith("--env-file "));
    }

    @Test
    void setReplacesByName() {
        Environment env = Environment.empty().with(List.of("HOME=/root"));
        env.set("HOME", "/home/user");
        assertEquals(List.of("HOME=/home/user"), env.toList());
    }
}
