package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** bin/canal and bin/canal-oci as a user starts them: JDK discovery, version, help. */
class LauncherTest {

    @Test
    void canalPrintsItsVersionInRuncsShape() throws Exception {
        var result = CanalHome.run("canal", Map.of(), "--version");
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(
                result.stdout().matches("(?s)canal version \\d+\\.\\d+\\.\\d+\\S*\nspec: 1\\.2\\.1\njava: 2\\d.*"),
                result.stdout());
        assertEquals("", result.stderr(), "no JVM or AOT warnings on a normal start");
    }

    @Test
    void canalOciPrintsItsVersionAndHelp() throws Exception {
        var version = CanalHome.run("canal-oci", Map.of(), "--version");
        assertEquals(0, version.exitCode(), version.stderr());
        assertTrue(version.stdout().startsWith("canal-oci version "), version.stdout());

        var help = CanalHome.run("canal-oci", Map.of(), "--help");
        assertEquals(0, help.exitCode(), help.stderr());
        assertTrue(help.stdout().startsWith("Usage: canal-oci"), help.stdout());
    }

    @Test
    void anUnknownOptionIsAnErrorWithUsage() throws Exception {
        var result = CanalHome.run("canal", Map.of(), "--no-such-option");
        assertEquals(2, result.exitCode());
        assertTrue(result.stderr().startsWith("Unknown option: '--no-such-option'"), result.stderr());
    }

    @Test
    void withNoSuitableJdkTheLauncherSaysWhatItFound() throws Exception {
        var result = CanalHome.run(
                "canal",
                Map.of(
                        "JAVA_HOME", "/usr/lib/jvm/java-17-openjdk-amd64",
                        "CANAL_JDK_DIRS", "/nonexistent-canal-jdks"),
                "--version");
        assertEquals(1, result.exitCode());
        assertEquals("", result.stdout());
        String expected = "canal: no JDK >= 22 found. JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64 is "
                + (java.nio.file.Files.exists(java.nio.file.Path.of("/usr/lib/jvm/java-17-openjdk-amd64/release"))
                        ? "JDK 17"
                        : "not a JDK")
                + "; searched /nonexistent-canal-jdks. Install one (for example Temurin 25) and set JAVA_HOME to it.\n";
        assertEquals(expected, result.stderr());
    }

    @Test
    void withJavaHomeUnsetTheLauncherFindsAJdkInTheUsualPlaces() throws Exception {
        var result = CanalHome.run(
                "find-jdk", Map.of("JAVA_HOME", "", "CANAL_JDK_DIRS", System.getProperty("java.home") + "/.."));
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(
                result.stdout()
                        .strip()
                        .endsWith(java.nio.file.Path.of(System.getProperty("java.home"))
                                .getFileName()
                                .toString()),
                result.stdout());
    }
}
