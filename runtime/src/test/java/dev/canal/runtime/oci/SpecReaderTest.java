package dev.canal.runtime.oci;

import static dev.canal.runtime.oci.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecReaderTest {

    @Test
    void brokenJsonIsReportedByLineAndColumn() {
        String json = "{\n  \"ociVersion\": \"1.2.1\",\n  process: {}\n}";
        assertEquals(
                "config.json: line 3, column 3: "
                        + "Unexpected character ('p' (code 112)): was expecting double-quote to start property name",
                errorOf(json));
    }

    @Test
    void truncatedJsonIsReportedWhereItEnds() {
        assertEquals(
                "config.json: line 1, column 27: Unexpected end-of-input: expected close marker for Array",
                errorOf("{\"process\": {\"args\": [\"sh\""));
    }

    @Test
    void anythingAfterTheObjectIsAnError() {
        assertEquals(
                "config.json: line 1, column 25: more JSON after the end of the document",
                errorOf(json("{'ociVersion': '1.2.1'} {}")));
    }

    @Test
    void aValueOfTheWrongTypeNamesItsPathAndQuotesIt() {
        assertEquals(
                "config.json: process.user.uid: expected a number, got \"root\"",
                errorOf(json("{'process': {'user': {'uid': 'root', 'gid': 0}}}")));
        assertEquals(
                "config.json: process.terminal: expected true or false, got \"yes\"",
                errorOf(json("{'process': {'terminal': 'yes'}}")));
        assertEquals(
                "config.json: process.oomScoreAdj: expected a whole number, got 1.5",
                errorOf(json("{'process': {'oomScoreAdj': 1.5}}")));
        assertEquals("config.json: hostname: expected a string, got 42", errorOf(json("{'hostname': 42}")));
    }

    @Test
    void pathsGoThroughArraysAndMaps() {
        assertEquals(
                "config.json: process.args[1]: expected a string, got 3",
                errorOf(json("{'process': {'args': ['sleep', 3]}}")));
        assertEquals(
                "config.json: linux.namespaces[1]: expected an object, got \"network\"",
                errorOf(json("{'linux': {'namespaces': [{'type': 'pid'}, 'network']}}")));
        assertEquals(
                "config.json: linux.sysctl[\"net.ipv4.ip_forward\"]: expected a string, got 1",
                errorOf(json("{'linux': {'sysctl': {'net.ipv4.ip_forward': 1}}}")));
        assertEquals(
                "config.json: linux.timeOffsets.monotonic.secs: expected a number, got \"1d\"",
                errorOf(json("{'linux': {'timeOffsets': {'monotonic': {'secs': '1d'}}}}")));
    }

    @Test
    void arraysAndObjectsAreNotInterchangeable() {
        assertEquals("config.json: mounts: expected an array, got an object", errorOf(json("{'mounts': {}}")));
        assertEquals("config.json: process: expected an object, got an array", errorOf(json("{'process': []}")));
        assertEquals("config.json: expected an object, got an array", errorOf("[]"));
        assertEquals("config.json: expected an object, got nothing", errorOf(""));
    }

    @Test
    void nullIsNotAnArrayElement() {
        assertEquals(
                "config.json: process.env[0]: expected a string, got null",
                errorOf(json("{'process': {'env': [null]}}")));
    }

    @Test
    void numbersOutOfRangeSaySo() {
        assertEquals(
                "config.json: process.user.uid: 99999999999999999999 is out of range",
                errorOf(json("{'process': {'user': {'uid': 99999999999999999999}}}")));
        assertEquals(
                "config.json: process.rlimits[0].hard: -1 is out of range",
                errorOf(json("{'process': {'rlimits': [{'type': 'RLIMIT_NOFILE', 'hard': -1, 'soft': 1}]}}")));
        assertEquals(
                "config.json: process.rlimits[0].soft: 18446744073709551616 is out of range",
                errorOf(
                        json(
                                "{'process': {'rlimits': [{'type': 'RLIMIT_NOFILE', 'hard': 1, 'soft': 18446744073709551616}]}}")));
    }

    @Test
    void anArrayWhereAStringBelongsIsNamedByItsOwnIndex() {
        // databind's path pointed one element further and quoted that element instead.
        assertEquals(
                "config.json: process.args[0]: expected a string, got an array",
                errorOf(json("{'process': {'args': [['sh'], 'true']}}")));
    }

    @Test
    void brokenJsonAfterAWrongValueIsWhatIsReported() {
        assertEquals(
                "config.json: line 1, column 30: Unexpected end-of-input: expected close marker for Object",
                errorOf(json("{'hostname': 42, 'mounts': []")));
        assertEquals(
                "config.json: line 1, column 18: more JSON after the end of the document",
                errorOf(json("{'hostname': 42} {}")));
    }

    @Test
    void unknownPropertiesKeepTheirValuesAsDatabindReadThem() {
        Spec spec = Spec.parse(
                json("{'hostname': 'a', 'x': [1, 12345678901, 123456789012345678901, 1.5, null, {'b': true}],"
                        + " 'hostname': 'b'}"));
        assertEquals("b", spec.hostname(), "the last of a repeated member");
        assertEquals(
                Arrays.asList(1, 12345678901L, new BigInteger("123456789012345678901"), 1.5, null, Map.of("b", true)),
                spec.unknownFields().get("x"));
    }

    @Test
    void aMemberWrittenTwiceCountsAsItsLast() {
        assertEquals(
                "box", Spec.parse(json("{'hostname': 42, 'hostname': 'box'}")).hostname());
        assertEquals(
                "config.json: process.user.uid: expected a number, got \"root\"",
                errorOf(json("{'process': {'args': 1}, 'process': {'user': {'uid': 'root'}}}")));
    }

    @Test
    void uint64TakesItsWholeRange() {
        Spec spec = Spec.parse(
                json("{'process': {'rlimits': [{'type': 'RLIMIT_NOFILE', 'hard': 18446744073709551615, 'soft': 0}]}}"));
        assertEquals(-1L, spec.process().rlimits().getFirst().hard());
    }

    @Test
    void readsAFileAndNamesItInErrors(@TempDir Path bundle) throws IOException {
        Path config = bundle.resolve("config.json");
        Files.writeString(config, json("{'ociVersion': '1.2.1', 'hostname': 'box'}"));
        assertEquals("box", Spec.read(config).hostname());

        Files.writeString(config, json("{'hostname': ['box']}"));
        assertEquals(
                config + ": hostname: expected a string, got an array",
                assertThrows(InvalidSpecException.class, () -> Spec.read(config))
                        .getMessage());
    }

    @Test
    void aMissingFileIsOneLineToo(@TempDir Path bundle) {
        Path config = bundle.resolve("config.json");
        assertEquals(
                config + ": cannot read: no such file",
                assertThrows(InvalidSpecException.class, () -> Spec.read(config))
                        .getMessage());
    }

    private static String errorOf(String json) {
        return assertThrows(InvalidSpecException.class, () -> Spec.parse(json)).getMessage();
    }
}
