package dev.canal.cli.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The templates people pass to docker inspect -f, and what docker prints for them. */
class GoTemplateTest {

    private static final JsonNode CONTAINER = JsonMapper.builder().build().readTree("""
            {"Id": "3f2c1a9e8b7d", "Name": "/web", "Args": ["-c", "echo hi"],
             "State": {"Status": "running", "Running": true, "Pid": 4242, "ExitCode": 0, "Error": ""},
             "Config": {"Labels": {"b": "2", "a": "1"}, "Env": ["A=1", "B=2"], "Cmd": null},
             "NetworkSettings": {"Networks": {"front": {"IPAddress": "172.18.0.2"}, "back": {"IPAddress": "10.0.0.2"}}}}
            """);

    private static String apply(String template) {
        return GoTemplate.parse(template).execute(CONTAINER);
    }

    @Test
    void fieldsPrintAsGoPrintsThem() {
        assertEquals("4242 running true", apply("{{.State.Pid}} {{.State.Status}} {{.State.Running}}"));
        assertEquals("map[a:1 b:2]", apply("{{.Config.Labels}}"));
        assertEquals("[A=1 B=2]", apply("{{.Config.Env}}"));
        assertEquals("<nil> <no value>", apply("{{.Config.Cmd}} {{.Config.Nope}}"));
        assertEquals("plain text", apply("plain text"));
    }

    @Test
    void docker_sFunctions() {
        assertEquals("{\"b\":\"2\",\"a\":\"1\"}", apply("{{json .Config.Labels}}"));
        assertEquals("1", apply("{{index .Config.Labels \"a\"}}"));
        assertEquals("B=2", apply("{{index .Config.Env 1}}"));
        assertEquals("-c,echo hi", apply("{{join .Args \",\"}}"));
        assertEquals("RUNNING", apply("{{.State.Status | upper}}"));
        assertEquals("Running", apply("{{title .State.Status}}"));
        assertEquals("2", apply("{{len .Config.Env}}"));
        assertEquals("[a b]", apply("{{split \"a:b\" \":\"}}"));
        assertEquals("true false", apply("{{eq .State.Pid 4242}} {{ne .State.Status \"running\"}}"));
    }

    @Test
    void rangeGoesOverAMapInKeyOrderAndIfTakesGo_sTruth() {
        assertEquals("10.0.0.2 172.18.0.2 ", apply("{{range .NetworkSettings.Networks}}{{.IPAddress}} {{end}}"));
        assertEquals("none", apply("{{range .Config.Cmd}}{{.}}{{else}}none{{end}}"));
        assertEquals("ok", apply("{{if .State.Running}}ok{{else}}down{{end}}"));
        assertEquals("no error", apply("{{if .State.Error}}{{.State.Error}}{{else}}no error{{end}}"));
        assertEquals("yes", apply("{{if and .State.Running .State.Pid}}yes{{end}}"));
        assertEquals("", apply("{{if or .State.Error .State.ExitCode}}yes{{end}}"));
    }

    @Test
    void aBrokenTemplateIsOneLineInDocker_sWords() {
        assertEquals(
                "template parsing error: template: :1: unclosed action",
                assertThrows(IllegalArgumentException.class, () -> GoTemplate.parse("{{.State"))
                        .getMessage());
        assertEquals(
                "template parsing error: template: :1: function \"nope\" not defined",
                assertThrows(IllegalArgumentException.class, () -> GoTemplate.parse("{{nope .State}}"))
                        .getMessage());
        assertEquals(
                "template parsing error: template: :1: unexpected EOF",
                assertThrows(IllegalArgumentException.class, () -> GoTemplate.parse("{{range .Args}}x"))
                        .getMessage());
        assertEquals(
                "template parsing error: template: :1: unexpected {{end}}",
                assertThrows(IllegalArgumentException.class, () -> GoTemplate.parse("x{{end}}"))
                        .getMessage());
    }
}
