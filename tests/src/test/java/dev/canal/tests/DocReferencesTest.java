package dev.canal.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The documentation's links, anchors and citations lead to what the tree has (docs/README.md). */
class DocReferencesTest {

    @Test
    void everyReferenceOfTheDocumentationLeadsToTheTree() {
        List<DocReferences.Problem> problems = DocReferences.check(CanalHome.ROOT);
        assertEquals(
                "", String.join("\n", problems.stream().map(Object::toString).toList()), "problems in the docs");
    }

    @Test
    void deadLinksMissingAnchorsAndMissingMembersAreFound(@TempDir Path tree) throws Exception {
        Path source = tree.resolve("runtime/src/main/java/dev/x/SpawnEngine.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, """
                package dev.x;
                public final class SpawnEngine {
                    static final int LIMIT = 3;
                    public int spawn(String name) { return LIMIT; }
                    record Plan(int flags, String name) {}
                }
                """);
        Files.createDirectories(tree.resolve("docs"));
        Files.writeString(tree.resolve("docs/other.md"), "# Other page\n\n## 5. pivot_root and `umount2`\n");
        Files.writeString(tree.resolve("docs/page.md"), """
                # Page

                Fine: [other](other.md), [a section](other.md#5-pivot_root-and-umount2), [here](#page),
                [`SpawnEngine.spawn`](../runtime/src/main/java/dev/x/SpawnEngine.java), [`SpawnEngine#LIMIT`](../runtime/src/main/java/dev/x/SpawnEngine.java),
                [`SpawnEngine.Plan`](../runtime/src/main/java/dev/x/SpawnEngine.java), [`SpawnEngine.flags`](../runtime/src/main/java/dev/x/SpawnEngine.java),
                [`dev/x/SpawnEngine.java`](../runtime/src/main/java/dev/x/SpawnEngine.java), [a site](https://example.org/x.md).

                Broken: [gone](gone.md), [no section](other.md#6-chroot), [`SpawnEngine.start`](../runtime/src/main/java/dev/x/SpawnEngine.java),
                [`Spawner`](../runtime/src/main/java/dev/x/SpawnEngine.java), [up](../../outside.md), [out](../target/x.jar).

                Unlinked: `SpawnEngine.spawn`, `runtime/src/main/java/dev/x/SpawnEngine.java`, `x/SpawnEngine.java`, `other.md`,
                and other.md and SpawnEngine.spawn in prose ("SpawnEngineTest" is no class of the tree).

                Commands, not paths: `runtime/run.sh --help`, and the same broken across lines, `runtime/run.sh
                --help`.

                ```
                `SpawnEngine` in a code block, [gone](gone.md): not references
                ```
                """);
        Files.createDirectories(tree.resolve("docs/examples"));
        Files.writeString(tree.resolve("docs/examples/Mini.java"), """
                // Canal: SpawnEngine.spawn (runtime/src/main/java/dev/x/SpawnEngine.java), see docs/other.md
                // Canal: SpawnEngine.clone (runtime/src/main/java/dev/x/SpawnEngine.java), see docs/gone.md
                class Mini { String path = "/bin/sh"; }
                """);

        List<String> problems =
                DocReferences.check(tree).stream().map(Object::toString).toList();

        assertEquals(
                List.of(
                        "docs/page.md:8: link gone.md: no such file docs/gone.md",
                        "docs/page.md:8: link other.md#6-chroot: no heading #6-chroot in docs/other.md",
                        "docs/page.md:8: `SpawnEngine.start`: runtime/src/main/java/dev/x/SpawnEngine.java declares no start",
                        "docs/page.md:9: `Spawner` links to runtime/src/main/java/dev/x/SpawnEngine.java, which is not Spawner",
                        "docs/page.md:9: link ../../outside.md leads outside the repository",
                        "docs/page.md:9: link ../target/x.jar leads to a build output, not the tree",
                        "docs/page.md:11: `SpawnEngine.spawn` names a class of the tree: link it to its file",
                        "docs/page.md:11: `runtime/src/main/java/dev/x/SpawnEngine.java` is a path of the tree: make it a link",
                        "docs/page.md:11: `x/SpawnEngine.java` names a class of the tree: link it to its file",
                        "docs/page.md:11: `other.md` is a page of docs/: make it a link",
                        "docs/page.md:12: other.md names a page: make it a link",
                        "docs/page.md:12: SpawnEngine.spawn names a class of the tree: cite it as code linked to its file",
                        "docs/examples/Mini.java:2: runtime/src/main/java/dev/x/SpawnEngine.java declares no clone",
                        "docs/examples/Mini.java:2: no such file docs/gone.md"),
                problems);
    }

    @Test
    void aPackageNamedBuildIsSourceAndOnlyTheTopLevelBuildIsOutput(@TempDir Path tree) throws Exception {
        Path source = tree.resolve("engine/src/main/java/dev/x/build/Parser.java");
        Files.createDirectories(source.getParent());
        Files.writeString(source, "package dev.x.build;\npublic final class Parser {}\n");
        Files.createDirectories(tree.resolve("build"));
        Files.writeString(tree.resolve("build/rootfs.tar"), "");
        Files.createDirectories(tree.resolve("docs"));
        Files.writeString(tree.resolve("docs/page.md"), """
                # Page

                [`Parser`](../engine/src/main/java/dev/x/build/Parser.java) and [a rootfs](../build/rootfs.tar).
                """);

        assertEquals(
                List.of("docs/page.md:3: link ../build/rootfs.tar leads to a build output, not the tree"),
                DocReferences.check(tree).stream().map(Object::toString).toList());
    }

    @Test
    void anchorsAreMadeAsTheForgeMakesThem() {
        assertEquals("5-pivot_root", DocReferences.slug("5. pivot_root"));
        assertEquals(
                "exec-another-process-in-a-running-container",
                DocReferences.slug("`exec`: another process in a running container"));
        assertEquals("installing-sysseccompfilter", DocReferences.slug("Installing: `sys/SeccompFilter`"));
        assertEquals("the-spawn-engine", DocReferences.slug("The [spawn](x.md) engine"));
    }

    @Test
    void declarationsAreToldFromUses() {
        String source = """
                class A {
                    @Override
                    public <T> List<T> spawn(int x) { return run(x); }
                    private static final long LIMIT = 1;
                    enum Kind { AUTO, THREAD }
                    record R(int flags, String name) {}
                    void go() {
                        return helper(1);
                    }
                }
                """;
        for (String declared : List.of("spawn", "LIMIT", "AUTO", "THREAD", "flags", "name", "go")) {
            assertTrue(DocReferences.declares(source, declared), declared);
        }
        for (String used : List.of("run", "helper", "x")) {
            assertFalse(DocReferences.declares(source, used), used);
        }
    }
}
