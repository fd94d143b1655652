package dev.canal.engine.build;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Cases from moby/buildkit frontend/dockerfile/shell (envVarTest, wordsTest, lex_test.go). */
class ShellLexerTest {

    private static final ShellLexer LEXER = new ShellLexer('\\');
    private static final Map<String, String> ENV = Map.of("PWD", "/home", "SHELL", "bash", "KOREAN", "한국어", "NULL", "");

    /** envVarTest: INPUT | EXPECTED, where "error" expects a failure. */
    private static final String WORDS = """
            hello                    |     hello
            he'll'o                  |     hello
            he'llo                   |     error
            he\\'llo                 |     he'llo
            he\\\\'llo               |     error
            abc\\tdef                |     abctdef
            "abc\\tdef"              |     abc\\tdef
            "abc\\\\tdef"            |     abc\\tdef
            'abc\\tdef'              |     abc\\tdef
            hello\\                  |     hello
            hello\\\\                |     hello\\
            "hello                   |     error
            "hello\\"                |     error
            "hel'lo"                 |     hel'lo
            'hello                   |     error
            'hello\\'                |     hello\\
            'hello\\there'           |     hello\\there
            'hello\\\\there'         |     hello\\\\there
            "''"                     |     ''
            $.                       |     $.
            he$1x                    |     hex
            he$.x                    |     he$.x
            he$pwd.                  |     he.
            he$PWD                   |     he/home
            he\\$PWD                 |     he$PWD
            he\\\\$PWD               |     he\\/home
            "he\\$PWD"               |     he$PWD
            "he\\\\$PWD"             |     he\\/home
            \\${}                    |     ${}
            \\${}aaa                 |     ${}aaa
            he\\${}                  |     he${}
            he\\${}xx                |     he${}xx
            ${}                      |     error
            ${}aaa                   |     error
            he${}                    |     error
            he${}xx                  |     error
            he${hi}                  |     he
            he${hi}xx                |     hexx
            he${PWD}                 |     he/home
            he${.}                   |     error
            he${XXX:-000}xx          |     he000xx
            he${PWD:-000}xx          |     he/homexx
            he${XXX:-$PWD}xx         |     he/homexx
            he${XXX:-${PWD:-yyy}}xx  |     he/homexx
            he${XXX:-${YYY:-yyy}}xx  |     heyyyxx
            he${XXX:YYY}             |     error
            he${XXX?}                |     error
            he${XXX:?}               |     error
            he${PWD?}                |     he/home
            he${PWD:?}               |     he/home
            he${NULL?}               |     he
            he${NULL:?}              |     error
            he${XXX:+${PWD}}xx       |     hexx
            he${PWD:+${XXX}}xx       |     hexx
            he${PWD:+${SHELL}}xx     |     hebashxx
            he${XXX:+000}xx          |     hexx
            he${PWD:+000}xx          |     he000xx
            'he${XX}'                |     he${XX}
            "he${PWD}"               |     he/home
            "he'$PWD'"               |     he'/home'
            "$PWD"                   |     /home
            '$PWD'                   |     $PWD
            '\\$PWD'                 |     \\$PWD
            '"hello"'                |     "hello"
            'he\\$PWD'               |     he\\$PWD
            he${PWD                  |     error
            he${PWD:=000}xx          |     error
            he${PWD:+${PWD}:}xx      |     he/home:xx
            he${XXX:-\\$PWD:}xx      |     he$PWD:xx
            he${XXX:-\\${PWD}z}xx    |     he${PWDz}xx
            안녕하세요                 |     안녕하세요
            안'녕'하세요               |     안녕하세요
            안'녕하세요                |     error
            안녕\\t하세요              |     안녕t하세요
            안녕$1x                    |     안녕x
            안녕${XXX:-${PWD:-yyy}}xx  |     안녕/homexx
            $KOREAN                    |     한국어
            안녕$KOREAN                |     안녕한국어
            ${{aaa}                   |     error
            ${aaa}}                   |     }
            ${aaa                     |     error
            ${{aaa:-bbb}              |     error
            ${aaa:-bbb}}              |     bbb}
            ${aaa:-bbb                |     error
            ${aaa:-${bbb:-ccc}}       |     ccc
            ${aaa:-bbb ${foo}         |     error
            ${aaa:-bbb {foo}          |     bbb {foo
            ${:}                      |     error
            ${:-bbb}                  |     error
            ${:+bbb}                  |     error
            $1                        |
            ${1:+bbb}                 |
            ${1:-bbb}                 |     bbb
            $999aaa                   |     aaa
            ${999:-bbb}aaa            |     bbbaaa
            $001aaa                   |     aaa
            $@@@                      |     @@
            ${@:-bbb}aaa              |     bbbaaa
            $*                        |
            ${#:-bbb}                 |     bbb
            $?                        |
            ${-:-bbb}                 |     bbb
            $$                        |
            ${!:+bbb}                 |
            ${0:-bbb}                 |     bbb
            """;

    @Test
    void expandsWordsAsDockersLexer() {
        for (String line : WORDS.lines().toList()) {
            String[] parts = line.split("\\|", 2);
            String input = parts[0].strip();
            String expected = parts[1].strip();
            if (expected.equals("error")) {
                assertThrows(IllegalArgumentException.class, () -> LEXER.word(input, ENV), input);
            } else {
                assertEquals(expected, LEXER.word(input, ENV), input);
            }
        }
    }

    /** wordsTest: each ENV line extends the scope; INPUT | WORDS separated by commas. */
    private static final String SPLIT_WORDS = """
            hello | hello
            hello${hi}bye | hellobye
            ENV hi=hi
            hello${hi}bye | hellohibye
            ENV space=abc  def
            hello${space}bye | helloabc,defbye
            hello"${space}"bye | helloabc  defbye
            hello "${space}"bye | hello,abc  defbye
            ENV leading=  ab c
            hello${leading}def | hello,ab,cdef
            hello"${leading}" def | hello  ab c,def
            hello"${leading}" | hello  ab c
            hello${leading} | hello,ab,c
            hello" there  " | hello there \s
            hello there     | hello,there
            hello\\ there | hello there
            hello" there | error
            hello\\" there | hello",there
            hello"\\\\there" | hello\\there
            hello"\\there" | hello\\there
            hello'\\\\there' | hello\\\\there
            hello'\\there' | hello\\there
            hello'$there' | hello$there
            """;

    @Test
    void splitsWordsAfterExpansionAsDockersLexer() {
        Map<String, String> env = new java.util.HashMap<>();
        for (String line : SPLIT_WORDS.lines().toList()) {
            if (line.startsWith("ENV ")) {
                String[] pair = line.substring(4).split("=", 2);
                env.put(pair[0], pair[1]);
                continue;
            }
            String[] parts = line.split(" \\| ", 2);
            String input = parts[0].strip();
            String expected = parts[1].equals("hello there \s") ? "hello there  " : parts[1].strip();
            if (expected.equals("error")) {
                assertThrows(IllegalArgumentException.class, () -> LEXER.words(input, env), input);
            } else {
                assertEquals(Arrays.asList(expected.split(",")), LEXER.words(input, env), input);
            }
        }
        assertEquals(List.of("helloab", "c"), LEXER.words("hello${trailing}", Map.of("trailing", "ab c   ")));
        assertEquals(List.of("helloab c   d"), LEXER.words("hello\"${trailing}\"d", Map.of("trailing", "ab c   ")));
    }

    @Test
    void requiredVariablesFailWithTheirMessage() {
        Map<String, String> set = Map.of("VAR", "plain", "ARG", "x");
        Map<String, String> empty = Map.of("VAR", "", "ARG", "x");
        Map<String, String> unset = Map.of("ARG", "x");
        assertEquals("plain", LEXER.word("${VAR:?message here$ARG}", set));
        assertEquals(
                "failed to process \"${VAR:?message here$ARG}\": VAR: message herex",
                assertThrows(IllegalArgumentException.class, () -> LEXER.word("${VAR:?message here$ARG}", empty))
                        .getMessage());
        assertThrows(IllegalArgumentException.class, () -> LEXER.word("${VAR:?message here$ARG}", unset));
        assertEquals("", LEXER.word("${VAR?message here$ARG}", empty));
        assertEquals(
                "failed to process \"${VAR?}\": VAR: is not allowed to be unset",
                assertThrows(IllegalArgumentException.class, () -> LEXER.word("${VAR?}", unset))
                        .getMessage());
    }

    @Test
    void defaultsAndAlternativesTellUnsetFromEmpty() {
        Map<String, String> env = Map.of("FOO", "xxx", "BAR", "");
        assertEquals("xxx  ccc", LEXER.word("${FOO-aaa} ${BAR-bbb} ${BAZ-ccc}", env));
        assertEquals("xxx bbb ccc", LEXER.word("${FOO:-aaa} ${BAR:-bbb} ${BAZ:-ccc}", env));
        assertEquals("aaa bbb ", LEXER.word("${FOO+aaa} ${BAR+bbb} ${BAZ+ccc}", env));
        assertEquals("aaa  ", LEXER.word("${FOO:+aaa} ${BAR:+bbb} ${BAZ:+ccc}", env));
        for (String bad : List.of("${FOO=aaa}", "${FOO=:aaa}", "${FOO:#}", "${FOO:##}", "${FOO:%}", "${FOO:%%}")) {
            assertThrows(IllegalArgumentException.class, () -> LEXER.word(bad, env), bad);
        }
    }

    @Test
    void trimsPrefixesAndSuffixesByShellPattern() {
        assertEquals("x", LEXER.word("${FOO#()[]{\\}^$.\\*\\?|\\\\}", Map.of("FOO", "()[]{}^$.*?|\\x")));
        assertEquals("xx", LEXER.word("${FOO%%\\**}", Map.of("FOO", "xx**")));
        assertEquals("y", LEXER.word("${FOO#*x*y}", Map.of("FOO", "xxyy")));
        assertEquals("xxyy", LEXER.word("${FOO#*}", Map.of("FOO", "xxyy")));
        assertEquals("xyy", LEXER.word("${FOO#$BAR}", Map.of("FOO", "xxyy", "BAR", "x")));
        assertEquals("xxyy", LEXER.word("${FOO#$BAR}", Map.of("FOO", "xxyy", "BAR", "")));
        assertEquals("yy", LEXER.word("${FOO##*x}", Map.of("FOO", "xxyy")));
        assertEquals("?y", LEXER.word("${FOO#?\\?}", Map.of("FOO", "???y")));
        assertEquals(".xxyy.", LEXER.word("${ABC:-.}${FOO%x}${ABC:-.}", Map.of("FOO", "xxyy")));
        assertEquals("a", LEXER.word("${FOO%%\\**\\*}", Map.of("FOO", "a***yy*")));
        assertEquals("xxy", LEXER.word("${FOO%y}", Map.of("FOO", "xxyy")));
        assertEquals("/usr/local", LEXER.word("${P%/*}", Map.of("P", "/usr/local/bin")));
        assertEquals("bin", LEXER.word("${P##*/}", Map.of("P", "/usr/local/bin")));
    }

    @Test
    void replacesTheFirstOrEveryMatch() {
        assertEquals(
                "/foo.*/*.txt - /foo..*.txt",
                LEXER.word("${FOO/$NEEDLE/.} - ${FOO//$NEEDLE/.}", Map.of("FOO", "/foo*/*/*.txt", "NEEDLE", "\\*/")));
        assertEquals(
                "/tmp/bar.txt - /bar.txt",
                LEXER.word("${FOO/$NEEDLE/} - ${FOO//$NEEDLE/}", Map.of("FOO", "/tmp/tmp/bar.txt", "NEEDLE", "/tmp")));
        assertEquals(
                "/foo/b/c.txt - /foo/c.txt",
                LEXER.word(
                        "${FOO/$NEEDLE/$REPLACEMENT} - ${FOO//$NEEDLE/$REPLACEMENT}",
                        Map.of("FOO", "/a/foo/b/c.txt", "NEEDLE", "/?/", "REPLACEMENT", "/")));
        assertEquals("\\/tmp\\/foo.txt", LEXER.word("${FOO//\\//\\/}", Map.of("FOO", "/tmp/foo.txt")));
        assertEquals("wwxxyy", LEXER.word("${FOO/$BAR/ww}", Map.of("FOO", "xxyy", "BAR", "")));
        assertEquals("xxyy", LEXER.word("${FOO///}", Map.of("FOO", "xxyy")));
        assertThrows(IllegalArgumentException.class, () -> LEXER.word("${FOO//ww}", Map.of("FOO", "xxyy")));
        assertThrows(IllegalArgumentException.class, () -> LEXER.word("${FOO//}", Map.of("FOO", "xxyy")));
    }

    @Test
    void theBacktickEscapesWhenTheDockerfileSaysSo() {
        ShellLexer backtick = new ShellLexer('`');
        assertEquals("C:\\dir\\$PWD", backtick.word("C:\\dir\\`$PWD", ENV));
        assertEquals("a\"b", backtick.word("\"a`\"b\"", ENV));
        assertEquals(List.of("a b", "c"), backtick.words("a` b c", ENV));
    }

    @Test
    void aPlatformDependentReleaseNameExpands() {
        String release = "something-${VERSION}.${TARGETOS}-${TARGETARCH}${TARGETVARIANT:+-${TARGETVARIANT}}.tar.gz";
        assertEquals(
                "something-v1.2.3.linux-arm-v7.tar.gz",
                LEXER.word(
                        release,
                        Map.of("VERSION", "v1.2.3", "TARGETOS", "linux", "TARGETARCH", "arm", "TARGETVARIANT", "v7")));
        assertEquals(
                "something-v1.2.3.linux-arm64.tar.gz",
                LEXER.word(
                        release,
                        Map.of("VERSION", "v1.2.3", "TARGETOS", "linux", "TARGETARCH", "arm64", "TARGETVARIANT", "")));
    }
}
