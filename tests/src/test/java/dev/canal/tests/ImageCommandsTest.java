package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.testing.BusyboxRootfs;
import dev.canal.runtime.testing.RequiresRoot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/canal's image commands as a user types them: import, load, images, rmi, image prune. */
@RequiresRoot
class ImageCommandsTest {

    @TempDir
    Path work;

    private Path rootfs;
    private String store;

    @BeforeEach
    void busybox() throws Exception {
        rootfs = BusyboxRootfs.create(work.resolve("rootfs"));
        store = work.resolve("store").toString();
    }

    private CanalHome.Result canal(String... args) throws Exception {
        return CanalHome.run(
                "canal",
                Map.of(),
                Stream.concat(Stream.of("--root", store), Stream.of(args)).toArray(String[]::new));
    }

    private static void tool(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertEquals(0, process.waitFor(), String.join(" ", command) + ": " + output);
    }

    private Path tarball() throws Exception {
        Path tarball = work.resolve("rootfs.tar.gz");
        tool("tar", "-C", rootfs.toString(), "-czf", tarball.toString(), ".");
        return tarball;
    }

    /** An OCI layout with one image, tagged {@code base}, made by umoci from the busybox rootfs. */
    private Path layout() throws Exception {
        Path layout = work.resolve("layout");
        Path bundle = work.resolve("bundle");
        tool("umoci", "init", "--layout", layout.toString());
        tool("umoci", "new", "--image", layout + ":base");
        tool("umoci", "unpack", "--image", layout + ":base", bundle.toString());
        tool("cp", "-a", rootfs + "/.", bundle.resolve("rootfs").toString());
        tool("umoci", "repack", "--image", layout + ":base", bundle.toString());
        return layout;
    }

    @Test
    void importThenImagesShowsATableLikeDockers() throws Exception {
        var imported = canal("import", tarball().toString(), "bb:1.0");
        assertEquals(0, imported.exitCode(), imported.stderr());
        assertTrue(imported.stdout().matches("sha256:[0-9a-f]{64}\n"), imported.stdout());
        String id = imported.stdout().substring("sha256:".length(), "sha256:".length() + 12);

        var images = canal("images");
        assertEquals(0, images.exitCode(), images.stderr());
        List<String> lines = images.stdout().lines().toList();
        assertEquals(2, lines.size(), images.stdout());
        assertTrue(lines.get(0).matches("REPOSITORY +TAG +IMAGE ID +CREATED +SIZE"), lines.get(0));
        assertTrue(
                lines.get(1)
                        .matches("bb +1\\.0 +" + id
                                + " +(Less than a second|1 second|\\d+ seconds|About a minute) ago +[0-9.]+MB"),
                lines.get(1));
    }

    @Test
    void loadRmiAndPrune() throws Exception {
        var loaded = canal("load", "-i", layout().toString(), "--name", "localhost:5000/bb");
        assertEquals(0, loaded.exitCode(), loaded.stderr());
        assertEquals("Loaded image: localhost:5000/bb:base\n", loaded.stdout());
        List<String> listed = canal("image", "ls").stdout().lines().toList();
        assertTrue(
                listed.get(1).matches("localhost:5000/bb +base +[0-9a-f]{12} .*"),
                "docker's second spelling: " + listed);
        var removed = canal("rmi", "localhost:5000/bb:base");
        assertEquals("Untagged: localhost:5000/bb:base\n", removed.stdout());
        String question =
                "WARNING! This will remove all dangling images.\n" + "Are you sure you want to continue? [y/N] ";
        var unanswered = canal("image", "prune");
        assertEquals(0, unanswered.exitCode(), unanswered.stderr());
        assertEquals(question, unanswered.stdout(), "no answer (standard input is /dev/null) is no");
        assertEquals(
                question,
                CanalHome.runTyping("n\n", "canal", "--root", store, "image", "prune")
                        .stdout());
        var pruned = CanalHome.runTyping("y\n", "canal", "--root", store, "image", "prune");
        assertEquals(0, pruned.exitCode(), pruned.stderr());
        assertTrue(
                pruned.stdout().matches(Pattern.quote(question) + "Total reclaimed space: [0-9.]+MB\n"),
                pruned.stdout());
        assertEquals(
                "Total reclaimed space: 0B\n",
                canal("image", "prune", "--force").stdout(),
                "-f asks nothing");
        assertEquals(
                "REPOSITORY   TAG   IMAGE ID   CREATED   SIZE\n",
                canal("images").stdout());
    }

    /**
     * {@code canal image prune -a} deletes every image no container uses, as far as its filters
     * select, with the docker CLI's question and output; a filter it does not take is one line
     * and removes nothing.
     */
    @Test
    void pruneAllDeletesTheImagesItsFiltersSelect() throws Exception {
        assertEquals(0, canal("import", tarball().toString(), "bb:1.0").exitCode());
        for (String[] refused :
                List.of(new String[] {"--filter", "colour=red"}, new String[] {"--filter", "until=soon"}, new String[] {
                    "--filter", "label"
                })) {
            var result = canal(Stream.concat(Stream.of("image", "prune", "-a", "-f"), Stream.of(refused))
                    .toArray(String[]::new));
            assertEquals(1, result.exitCode(), String.join(" ", refused));
            assertTrue(
                    result.stderr()
                            .matches("canal: (invalid filter 'colour'|failed to parse value as time or"
                                    + " duration: \"soon\"|bad format of filter \\(expected name=value\\))\n"),
                    result.stderr());
        }
        assertTrue(canal("images").stdout().contains("bb "), "a refused prune removes nothing");
        assertEquals(
                "WARNING! This will remove all images without at least one container associated to them.\n"
                        + "Are you sure you want to continue? [y/N] ",
                canal("image", "prune", "-a").stdout());
        assertEquals(
                "Total reclaimed space: 0B\n",
                canal("image", "prune", "-f").stdout(),
                "without -a a named image stays");
        assertEquals(
                "Total reclaimed space: 0B\n",
                canal("image", "prune", "-a", "-f", "--filter", "until=1h").stdout(),
                "imported a moment ago");
        var pruned = canal("image", "prune", "-a", "-f", "--filter", "label!=keep");
        assertTrue(
                pruned.stdout()
                        .matches("Deleted Images:\nuntagged: bb:1\\.0\ndeleted: sha256:[0-9a-f]{64}\n\n"
                                + "Total reclaimed space: [0-9.]+MB\n"),
                pruned.stdout());
        assertEquals(
                "REPOSITORY   TAG   IMAGE ID   CREATED   SIZE\n",
                canal("images").stdout());
    }

    @Test
    void twoProcessesLoadingTheSameImageAtOnceShareOneLayer() throws Exception {
        Path layout = layout();
        try (var pool = Executors.newFixedThreadPool(2)) {
            Future<CanalHome.Result> first = pool.submit(() -> canal("load", "-i", layout.toString(), "--name", "one"));
            Future<CanalHome.Result> second =
                    pool.submit(() -> canal("load", "-i", layout.toString(), "--name", "two"));
            assertEquals(0, first.get().exitCode(), first.get().stderr());
            assertEquals(0, second.get().exitCode(), second.get().stderr());
        }
        try (Stream<Path> layers = Files.list(Path.of(store, "layers", "sha256"));
                Stream<Path> temporary = Files.list(Path.of(store, "tmp"))) {
            assertEquals(1, layers.count(), "one layer directory, not two");
            assertEquals(0, temporary.count(), "no temporary files left");
        }
        assertEquals(3, canal("images").stdout().lines().count());
    }

    @Test
    void errorsAreOneLineAndLeaveTheStoreAsItWas() throws Exception {
        var missing = canal("rmi", "nope");
        assertEquals(1, missing.exitCode());
        assertEquals("canal: no such image: nope\n", missing.stderr());

        Path outside = Files.writeString(work.resolve("abs-" + System.nanoTime()), "x");
        Path absolute = work.resolve("absolute.tar");
        tool("tar", "-cPf", absolute.toString(), outside.toString());
        List<String> before = tree();
        var escape = canal("import", absolute.toString(), "escape");
        assertEquals(1, escape.exitCode());
        assertTrue(
                escape.stderr()
                        .matches("canal: layer [0-9a-f]{12}: tar entry '" + outside
                                + "' is an absolute path; layer paths are relative to the layer\n"),
                escape.stderr());
        assertEquals(before, tree());

        var noFile = canal("import", work.resolve("none.tar").toString(), "x");
        assertEquals("canal: " + work.resolve("none.tar") + " is not a file\n", noFile.stderr());
        var badName = canal("import", absolute.toString(), "Bad:Name");
        assertEquals(
                "canal: image name: repository 'library/Bad' must be lowercase letters, digits and separators (. _ __ -) between '/'\n",
                badName.stderr());
    }

    private List<String> tree() throws IOException {
        Path root = Path.of(store);
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.map(path -> root.relativize(path).toString())
                    .filter(path -> !path.equals("lock"))
                    .sorted()
                    .toList();
        }
    }
}
