package dev.canal.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Cases from moby/patternmatcher (patternmatcher_test.go, ignorefile_test.go). */
class DockerIgnoreTest {

    /** PATTERN | PATH | whether the path is ignored (TestMatches). */
    private static final String MATCHES = """
            ** | file | true
            ** | file/ | true
            **/ | file | true
            **/ | file/ | true
            ** | dir/file | true
            **/ | dir/file | true
            ** | dir/file/ | true
            **/** | dir/file | true
            **/** | dir/file/ | true
            dir/** | dir/file | true
            dir/** | dir/file/ | true
            dir/** | dir/dir2/file | true
            dir/** | dir/dir2/file/ | true
            **/dir | dir | true
            **/dir | dir/file | true
            **/dir2/* | dir/dir2/file | true
            **/dir2/* | dir/dir2/file/ | true
            **/dir2/** | dir/dir2/dir3/file | true
            **/dir2/** | dir/dir2/dir3/file/ | true
            **file | file | true
            **file | dir/file | true
            **/file | dir/file | true
            **file | dir/dir/file | true
            **/file | dir/dir/file | true
            **/file* | dir/dir/file | true
            **/file* | dir/dir/file.txt | true
            **/file*txt | dir/dir/file.txt | true
            **/file*.txt | dir/dir/file.txt | true
            **/file*.txt* | dir/dir/file.txt | true
            **/**/*.txt | dir/dir/file.txt | true
            **/**/*.txt2 | dir/dir/file.txt | false
            **/*.txt | file.txt | true
            **/**/*.txt | file.txt | true
            a**/*.txt | a/file.txt | true
            a**/*.txt | a/dir/file.txt | true
            a**/*.txt | a/dir/dir/file.txt | true
            a/*.txt | a/dir/file.txt | false
            a/*.txt | a/file.txt | true
            a/*.txt** | a/file.txt | true
            a[b-d]e | ae | false
            a[b-d]e | ace | true
            a[b-d]e | aae | false
            a[^b-d]e | aze | true
            .* | .foo | true
            .* | foo | false
            abc.def | abcdef | false
            abc.def | abc.def | true
            abc.def | abcZdef | false
            abc?def | abcZdef | true
            abc?def | abcdef | false
            a\\\\ | a\\ | true
            **/foo/bar | foo/bar | true
            **/foo/bar | dir/foo/bar | true
            **/foo/bar | dir/dir2/foo/bar | true
            abc/** | abc | false
            abc/** | abc/def | true
            abc/** | abc/def/ghi | true
            **/.foo | .foo | true
            **/.foo | bar.foo | false
            a(b)c/def | a(b)c/def | true
            a(b)c/def | a(b)c/xyz | false
            a.|)$(}+{bc | a.|)$(}+{bc | true
            dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl | dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl | true
            dist/*.whl | dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl | true
            a\\*b | a*b | true
            """;

    /** Go's filepath.Match table as patternmatcher runs it (TestMatch): PATTERN | PATH | result. */
    private static final String FILEPATH_MATCH = """
            abc | abc | true
            * | abc | true
            *c | abc | true
            a* | a | true
            a* | abc | true
            a* | ab/c | true
            a*/b | abc/b | true
            a*/b | a/c/b | false
            a*b*c*d*e*/f | axbxcxdxe/f | true
            a*b*c*d*e*/f | axbxcxdxexxx/f | true
            a*b*c*d*e*/f | axbxcxdxe/xxx/f | false
            a*b*c*d*e*/f | axbxcxdxexxx/fff | false
            a*b?c*x | abxbbxdbxebxczzx | true
            a*b?c*x | abxbbxdbxebxczzy | false
            ab[c] | abc | true
            ab[b-d] | abc | true
            ab[e-g] | abc | false
            ab[^c] | abc | false
            ab[^b-d] | abc | false
            ab[^e-g] | abc | true
            a\\*b | a*b | true
            a\\*b | ab | false
            a?b | a☺b | true
            a[^a]b | a☺b | true
            a???b | a☺b | false
            a[^a][^a][^a]b | a☺b | false
            [a-ζ]* | α | true
            *[a-ζ] | A | false
            a?b | a/b | false
            a*b | a/b | false
            [\\]a] | ] | true
            [\\-] | - | true
            [x\\-] | x | true
            [x\\-] | - | true
            [x\\-] | z | false
            [\\-x] | x | true
            [\\-x] | - | true
            [\\-x] | a | false
            *x | xxx | true
            """;

    @Test
    void matchesAsDockersPatternMatcher() {
        check(MATCHES);
        check(FILEPATH_MATCH);
    }

    @Test
    void malformedPatternsAreRefused() {
        for (String bad : new String[] {"[]a]", "[-]", "[x-]", "[-x]", "\\", "[a-b-c]", "[", "[^", "[^bc", "a[", "!"}) {
            assertThrows(IllegalArgumentException.class, () -> DockerIgnore.parse(bad), bad);
        }
        assertEquals(
                "illegal exclusion pattern: \"!\"",
                assertThrows(IllegalArgumentException.class, () -> DockerIgnore.parse("docs\n! \n"))
                        .getMessage());
        assertEquals(
                "syntax error in pattern: a[",
                assertThrows(IllegalArgumentException.class, () -> DockerIgnore.parse("a["))
                        .getMessage());
    }

    @Test
    void exceptionsBringPathsBackAndTheLastMatchDecides() {
        assertTrue(DockerIgnore.parse("*").matches("fileutils.go"));
        assertTrue(DockerIgnore.parse("*.go").matches("fileutils.go"));
        assertTrue(DockerIgnore.parse("!fileutils.go\n*.go").matches("fileutils.go"));
        assertFalse(DockerIgnore.parse("*.go\n!fileutils.go").matches("fileutils.go"));
        assertFalse(DockerIgnore.parse("docs\n!docs/README.md").matches("docs/README.md"));
        assertFalse(DockerIgnore.parse("docs/\n!docs/README.md").matches("docs/README.md"));
        assertFalse(DockerIgnore.parse("docs/*\n!docs/README.md").matches("docs/README.md"));
        assertTrue(DockerIgnore.parse("docs/*\n!docs/README.md").matches("docs/other.md"));
        assertFalse(DockerIgnore.parse("*.go").matches("."));
        assertFalse(DockerIgnore.none().matches("anything"));
        assertFalse(DockerIgnore.parse("**\n!util/docker/web").matches("util/docker/web/foo"));
        assertTrue(
                DockerIgnore.parse("**\n!util/docker/web\nutil/docker/web/foo").matches("util/docker/web/foo"));
        assertFalse(DockerIgnore.parse("**\n!dist/*.whl")
                .matches("dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl"));
    }

    @Test
    void theFileIsReadAsDockersIgnorefileReadsIt() {
        DockerIgnore ignore = DockerIgnore.parse("""
                \uFEFFtest1
                /test2
                /a/file/here

                lastfile
                # this is a comment
                  ./spaced/../dir//  \r
                ! /test2/keep
                #ignored
                """);
        assertTrue(ignore.matches("test1"));
        assertTrue(ignore.matches("test2/sub/file"));
        assertTrue(ignore.matches("a/file/here"));
        assertFalse(ignore.matches("a/file"));
        assertTrue(ignore.matches("lastfile"));
        assertTrue(ignore.matches("dir/x"));
        assertFalse(ignore.matches("spaced"));
        assertFalse(ignore.matches("test2/keep"));
        assertFalse(ignore.matches("#ignored"));
        assertTrue(ignore.matches("./test1"));
    }

    @Test
    void pathsAreCleanedAsGoCleansThem() {
        assertEquals("a/b", DockerIgnore.clean("./a//b/"));
        assertEquals("b", DockerIgnore.clean("a/../b"));
        assertEquals("../b", DockerIgnore.clean("../b"));
        assertEquals("/", DockerIgnore.clean("/.."));
        assertEquals(".", DockerIgnore.clean(""));
        assertEquals(".", DockerIgnore.clean("a/.."));
    }

    private static void check(String table) {
        for (String line : table.lines().toList()) {
            String[] parts = line.split(" \\| ");
            DockerIgnore ignore = DockerIgnore.parse(parts[0]);
            assertEquals(Boolean.parseBoolean(parts[2]), ignore.matches(parts[1]), line);
        }
    }
}
