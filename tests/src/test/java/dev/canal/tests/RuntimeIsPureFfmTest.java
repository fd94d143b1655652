package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Canal's rule: the runtime reaches the kernel only through FFM downcalls. No JNI, no native
 * libraries of its own, no shelling out to host tools.
 */
class RuntimeIsPureFfmTest {

    private static final Pattern FORBIDDEN = Pattern.compile(
            "\\bnative\\s+\\w[\\w<>\\[\\]]*\\s+\\w+\\s*\\(" // a native method declaration
                    + "|System\\.loadLibrary|System\\.load\\(|\\bProcessBuilder\\b|Runtime\\.getRuntime\\(\\)\\.exec");

    @Test
    void runtimeMainCodeHasNoJniNoNativeLibrariesAndNoSubprocesses() throws IOException {
        assertEquals(List.of(), offences("runtime/src/main/java"));
    }

    /**
     * The images module too: its tar, gzip and zstd decoding is pure Java, its file calls FFM.
     * One program may run: the credential helper a user names in docker's config.json
     * ({@code credsStore}, {@code credHelpers}), which is how docker's protocol reaches the
     * user's secret store (docker-credential-NAME get/store/erase); it is the user's choice,
     * not a host tool standing in for a system call.
     */
    @Test
    void imagesMainCodeHasNoJniNoNativeLibrariesAndNoSubprocessesButTheCredentialHelper() throws IOException {
        String helper = "dev/canal/images/registry/CredentialHelper.java";
        List<String> offences = offences("images/src/main/java");
        assertTrue(
                offences.stream().anyMatch(offence -> offence.startsWith(helper + ":")),
                "the credential helper still runs its program, or this exception is stale");
        assertEquals(
                List.of(),
                offences.stream()
                        .filter(offence -> !offence.startsWith(helper + ":") || !offence.contains("ProcessBuilder"))
                        .toList());
    }

    private static List<String> offences(String tree) throws IOException {
        Path sources = CanalHome.ROOT.resolve(tree);
        List<String> offences = new ArrayList<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(sources)) {
            for (Path file : walk.filter(p -> p.toString().endsWith(".java")).toList()) {
                files++;
                List<String> lines = Files.readAllLines(file);
                for (int i = 0; i < lines.size(); i++) {
                    if (offends(lines.get(i))) {
                        offences.add(sources.relativize(file) + ":" + (i + 1) + ": "
                                + lines.get(i).strip());
                    }
                }
            }
        }
        assertTrue(files > 5, "found the sources in " + tree);
        return offences;
    }

    /**
     * Whether a source line does what the pattern forbids: comment lines only speak of it (a
     * javadoc's "threads in native code first (HotSpot's ..." reads like a declaration), but code
     * after a block comment closed on the same line counts.
     */
    private static boolean offends(String line) {
        String code = line.strip();
        if (code.startsWith("/*")) {
            int end = code.indexOf("*/");
            code = end < 0 ? "" : code.substring(end + 2);
        } else if (code.startsWith("*") || code.startsWith("//")) {
            code = "";
        }
        return FORBIDDEN.matcher(code).find();
    }

    @Test
    void commentsThatNameWhatThePatternForbidsAreNotOffences() {
        assertFalse(offends("     * own exit. {@link Runtime#halt} waits for threads in native code first (HotSpot's"));
        assertFalse(offends("        // see ProcessBuilder, which the runtime never uses"));
        assertTrue(offends("    private static native int fork(); // a comment after code"));
        assertTrue(offends("    /* JNI */ private static native int fork();"));
        assertFalse(offends("    /** Waits for threads in native code first (HotSpot's wait). */"));
    }

    @Test
    void thePatternCatchesWhatItForbids() {
        for (String bad : List.of(
                "private static native int fork();",
                "System.loadLibrary(\"zstd\");",
                "new ProcessBuilder(\"mount\")",
                "Runtime.getRuntime().exec(\"ip link\")")) {
            assertTrue(offends(bad), bad);
        }
    }
}
