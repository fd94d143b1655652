package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void canalListsWithC1AloneAndKeepsC2ForContainers() throws Exception {
        assertTrue(jitFlags("--version").contains("-XX:TieredStopAtLevel=1"));
        assertTrue(jitFlags("--data-root", "/nonexistent", "ps", "--help").contains("-XX:TieredStopAtLevel=1"));
        assertTrue(jitFlags("--root=/nonexistent", "images", "--help").contains("-XX:TieredStopAtLevel=1"));
        assertFalse(jitFlags("run", "--help").contains("TieredStopAtLevel"));
        assertFalse(jitFlags("--exec-root", "/nonexistent", "run", "--help").contains("TieredStopAtLevel"));
    }

    @Test
    void canalOciKillMapsTheKillCacheForSigkillAndSigtermAlone() throws Exception {
        for (String[] args : new String[][] {{"x"}, {"x", "KILL"}, {"x", "sigterm"}, {"x", "9"}, {"x", "15"}}) {
            assertTrue(canalOciKillFlags(args).contains("canal-kill-"), String.join(" ", args));
        }
        for (String[] args : new String[][] {{"x", "CONT"}, {"x", "SIGHUP"}, {"--all", "x", "KILL"}, {"x", "19"}}) {
            assertTrue(canalOciKillFlags(args).contains("canal-quick-"), String.join(" ", args));
        }
    }

    @Test
    void canalOciDeleteMapsTheDeleteCacheAndVersionTheQuickOne() throws Exception {
        assertTrue(canalOciFlags("delete", "x").contains("/canal-delete-"));
        assertTrue(canalOciFlags("delete", "--force", "x").contains("/canal-delete-"));
        var version = CanalHome.run("canal-oci", Map.of("JDK_JAVA_OPTIONS", "-XX:+PrintCommandLineFlags"), "--version");
        assertTrue(version.stdout().lines().findFirst().orElse("").contains("/canal-quick-"), version.stdout());
    }

    @Test
    void canalRunAndTheListingsMapTheCachesTrainedOnTheirOwnPaths() throws Exception {
        assertTrue(jitFlags("run", "--help").matches(".*-XX:AOTCache=\\S*/canal-run-[^/ ]*\\.aot .*"));
        assertTrue(jitFlags("--root=/nonexistent", "run", "--help").contains("/canal-run-"));
        assertTrue(jitFlags("ps", "--help").contains("/canal-list-"));
        assertTrue(jitFlags("--root", "/nonexistent", "images", "--help").contains("/canal-list-"));
        assertTrue(jitFlags("rm", "--help").matches(".*-XX:AOTCache=\\S*/canal-[0-9][^/ ]*\\.aot .*"));
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

    @Test
    void theLaunchersStartNoProcessBeforeJava() throws Exception {
        var withJavaHome = Map.of("JAVA_HOME", System.getProperty("java.home"));
        // JAVA_HOME unset: the JDK the build wrote down in cli/target/build-jdk.
        var withBuildJdk = Map.of("JAVA_HOME", "");
        assertEquals(List.of(), processCallsBeforeJava("canal-oci", withJavaHome, "--version"));
        assertEquals(List.of(), processCallsBeforeJava("canal-oci", withBuildJdk, "--version"));
        assertEquals(
                List.of(), processCallsBeforeJava("canal-oci", withBuildJdk, "--root", "/nonexistent", "state", "x"));
        assertEquals(List.of(), processCallsBeforeJava("canal", withBuildJdk, "--version"));
    }

    @Test
    void aLauncherReachedThroughASymbolicLinkFindsItsHome(@TempDir Path directory) throws Exception {
        Path link = Files.createSymbolicLink(directory.resolve("canal-oci"), CanalHome.ROOT.resolve("bin/canal-oci"));
        var result = CanalHome.run(List.of(link.toString(), "--version"), Map.of(), 60);
        assertEquals(0, result.exitCode(), result.stderr());
        assertTrue(result.stdout().startsWith("canal-oci version "), result.stdout());
    }

    /** The JVM flags bin/canal ARGS starts java with, as the JVM prints them ({@code -XX:+PrintCommandLineFlags}). */
    private static String jitFlags(String... args) throws Exception {
        var result = CanalHome.run("canal", Map.of("JDK_JAVA_OPTIONS", "-XX:+PrintCommandLineFlags"), args);
        assertEquals(0, result.exitCode(), result.stderr());
        String flags = result.stdout().lines().findFirst().orElse("");
        assertTrue(flags.contains("-XX:+PrintCommandLineFlags"), flags);
        return flags;
    }

    /**
     * The JVM flags of {@code bin/canal-oci --root /nonexistent kill ARGS}, which fails (there is no
     * such container) after the JVM printed them.
     */
    private static String canalOciKillFlags(String... args) throws Exception {
        return canalOciFlags("kill", args);
    }

    /** The JVM flags bin/canal-oci starts {@code name ARGS} with (of a container under a root that does not exist). */
    private static String canalOciFlags(String name, String... args) throws Exception {
        var command = new ArrayList<>(
                List.of(CanalHome.ROOT.resolve("bin/canal-oci").toString(), "--root", "/nonexistent", name));
        command.addAll(List.of(args));
        var result = CanalHome.run(command, Map.of("JDK_JAVA_OPTIONS", "-XX:+PrintCommandLineFlags"), 60);
        String flags = result.stdout().lines().findFirst().orElse("");
        assertTrue(flags.contains("-XX:AOTCache="), flags + result.stderr());
        return flags;
    }

    /**
     * The process-related system calls (strace's {@code trace=process}: clone, fork, execve, wait4)
     * that {@code bin/PROGRAM ARGS} makes before it execs java, its own execve aside: a subshell,
     * {@code dirname} or {@code readlink} shows up here as a clone and a wait4.
     */
    private static List<String> processCallsBeforeJava(String program, Map<String, String> environment, String... args)
            throws Exception {
        Path trace = Files.createTempFile("canal-launcher", ".strace");
        try {
            var command = new ArrayList<>(List.of(
                    "strace",
                    "-f",
                    "-qq",
                    "-e",
                    "trace=process",
                    "-o",
                    trace.toString(),
                    CanalHome.ROOT.resolve("bin").resolve(program).toString()));
            command.addAll(List.of(args));
            CanalHome.run(command, environment, 60);
            List<String> lines = Files.readAllLines(trace);
            assertTrue(!lines.isEmpty() && lines.getFirst().contains("execve(\"" + command.get(7)), lines.toString());
            List<String> calls = new ArrayList<>();
            for (String line : lines.subList(1, lines.size())) {
                if (line.contains("execve(\"" + System.getProperty("java.home") + "/bin/java\"")) {
                    return calls;
                }
                calls.add(line);
            }
            throw new AssertionError("bin/" + program + " never started java: " + lines);
        } finally {
            Files.delete(trace);
        }
    }
}
