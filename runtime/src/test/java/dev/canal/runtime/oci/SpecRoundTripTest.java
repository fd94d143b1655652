package dev.canal.runtime.oci;

import static dev.canal.runtime.oci.Fixtures.json;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SpecRoundTripTest {

    private static final String WITH_UNKNOWN_FIELDS = json("""
            {
              'ociVersion': '1.2.1',
              'vendor.example/top': {'nested': [1, 'two', null, true]},
              'process': {
                'cwd': '/',
                'args': ['sh'],
                'commandLine': 'only on windows',
                'user': {'uid': 0, 'gid': 0, 'futureField': 7}
              },
              'root': {'path': 'rootfs'},
              'linux': {
                'namespaces': [{'type': 'pid', 'vendor.example/joinLater': true}, {'type': 'mount'}],
                'resources': {'memory': {'limit': -1, 'someNewKnob': 'on'}},
                'netDevices': {'eth1': {'name': 'eth0'}}
              },
              'windows': {'layerFolders': ['C:\\\\layers\\\\1']}
            }
            """);

    @Test
    void unknownFieldsAtEveryLevelSurviveAReadAndAWrite() {
        Spec spec = Spec.parse(WITH_UNKNOWN_FIELDS);
        assertEquals(tree(WITH_UNKNOWN_FIELDS), tree(spec.toJson()));
    }

    @Test
    void unknownFieldsAreKeptBesideTheKnownOnes() {
        Spec spec = Spec.parse(WITH_UNKNOWN_FIELDS);
        assertEquals(
                List.of("vendor.example/top", "windows"),
                List.copyOf(spec.unknownFields().keySet()));
        assertEquals("only on windows", spec.process().unknownFields().get("commandLine"));
        assertEquals(7, spec.process().user().unknownFields().get("futureField"));
        assertEquals(
                Map.of("vendor.example/joinLater", true),
                spec.linux().namespaces().getFirst().unknownFields());
        assertEquals(Map.of(), spec.linux().namespaces().get(1).unknownFields());
        assertEquals(-1L, spec.linux().resources().memory().limit());
    }

    @Test
    void unknownFieldsAreWrittenAfterTheKnownOnes() {
        String written = Spec.parse(WITH_UNKNOWN_FIELDS).toJson();
        assertTrue(written.indexOf("\"linux\"") < written.indexOf("\"vendor.example/top\""));
        assertTrue(written.indexOf("\"type\": \"pid\"") < written.indexOf("\"vendor.example/joinLater\""));
    }

    @Test
    void absentObjectsAreNullAndAbsentArraysEmpty() {
        Spec spec = Spec.parse(json("{'ociVersion': '1.2.1'}"));
        assertNull(spec.process());
        assertNull(spec.linux());
        assertEquals(List.of(), spec.mounts());
        assertEquals(Map.of(), spec.annotations());
        assertEquals("{\n\t\"ociVersion\": \"1.2.1\"\n}", spec.toJson());
    }

    @Test
    void explicitValuesAreKeptEvenWhenTheyAreGoDefaults() {
        String json = json(
                "{'ociVersion': '1.2.1', 'process': {'terminal': false, 'user': {'uid': 0, 'gid': 0}, 'cwd': '/'}}");
        assertEquals(tree(json), tree(Spec.parse(json).toJson()));
    }

    @Test
    void uint64ValuesUseAllSixtyFourBits() {
        String json = json("""
                {'ociVersion': '1.2.1', 'process': {'cwd': '/', 'args': ['sh'], 'user': {'uid': 0, 'gid': 0},
                 'rlimits': [{'type': 'RLIMIT_MEMLOCK', 'hard': 18446744073709551615, 'soft': 9223372036854775808}]}}
                """);
        var rlimit = Spec.parse(json).process().rlimits().getFirst();
        assertEquals(-1L, rlimit.hard(), "RLIM_INFINITY, as C sees it");
        assertEquals(Long.MIN_VALUE, rlimit.soft());
        assertEquals(tree(json), tree(Spec.parse(json).toJson()));
    }

    @Test
    void theModelIsImmutable() {
        Spec spec = DefaultSpec.create(false);
        assertThrows(UnsupportedOperationException.class, () -> spec.mounts().clear());
        assertThrows(
                UnsupportedOperationException.class,
                () -> spec.process().unknownFields().put("x", 1));
        assertFalse(spec.linux().namespaces().isEmpty());
    }

    private static JsonNode tree(String json) {
        return SpecJson.MAPPER.readTree(json);
    }
}
