package dev.canal.runtime.oci;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The copy-with methods exec builds its process with, and a process read on its own. */
class ProcessConfigTest {

    private static final ProcessConfig ORIGINAL = SpecReader.parseProcess("""
            {"terminal": true, "consoleSize": {"height": 24, "width": 80}, "args": ["sh"], "env": ["A=1"],
             "cwd": "/", "user": {"uid": 0, "gid": 0}, "rlimits": [{"type": "RLIMIT_NOFILE", "hard": 1024, "soft": 1024}],
             "capabilities": {"bounding": ["CAP_KILL"], "effective": ["CAP_KILL"]}, "x-unknown": 7}""", "process");

    @Test
    void eachCopyChangesItsFieldAndKeepsTheRest() {
        ProcessConfig changed = ORIGINAL.withArgs(List.of("id", "-u"))
                .withEnv(List.of("A=1", "B=2"))
                .withCwd("/tmp")
                .withUser(new ProcessConfig.User(1000, 100, null, null, null, null))
                .withNoNewPrivileges(true);
        assertEquals(List.of("id", "-u"), changed.args());
        assertEquals(List.of("A=1", "B=2"), changed.env());
        assertEquals("/tmp", changed.cwd());
        assertEquals(1000, changed.user().uid());
        assertEquals(true, changed.noNewPrivileges());
        assertEquals(ORIGINAL.rlimits(), changed.rlimits());
        assertEquals(ORIGINAL.consoleSize(), changed.consoleSize());
        assertEquals(Map.of("x-unknown", 7), changed.unknownFields());
        assertEquals(List.of("sh"), ORIGINAL.args(), "the original is unchanged");
    }

    @Test
    void aTerminalChangeDropsTheSizeOfTheTerminalAskedForBefore() {
        ProcessConfig noTerminal = ORIGINAL.withTerminal(false);
        assertEquals(false, noTerminal.terminal());
        assertNull(noTerminal.consoleSize());
    }

    @Test
    void capabilitiesAddedToEverySetAsRuncsExecCapAddsThem() {
        var sets = ORIGINAL.capabilities().withAddedToEverySet(List.of("CAP_NET_ADMIN"));
        assertEquals(List.of("CAP_KILL", "CAP_NET_ADMIN"), sets.bounding());
        assertEquals(List.of("CAP_KILL", "CAP_NET_ADMIN"), sets.effective());
        assertEquals(List.of("CAP_NET_ADMIN"), sets.permitted());
        assertEquals(List.of("CAP_NET_ADMIN"), sets.inheritable());
        assertEquals(List.of("CAP_NET_ADMIN"), sets.ambient());
    }

    @Test
    void aProcessReadOnItsOwnNamesTheFieldThatIsWrong() {
        assertEquals(
                "process: args: expected an array, got \"sh\"",
                assertThrows(InvalidSpecException.class, () -> SpecReader.parseProcess("{\"args\": \"sh\"}", "process"))
                        .getMessage());
        assertEquals(
                "process: expected an object, got an array",
                assertThrows(InvalidSpecException.class, () -> SpecReader.parseProcess("[]", "process"))
                        .getMessage());
    }
}
