package dev.canal.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RestartPolicyTest {

    @Test
    void parsesDockersFourPoliciesAndTheRetryCount() {
        assertEquals(new RestartPolicy("no", 0), RestartPolicy.parse("no"));
        assertEquals(new RestartPolicy("always", 0), RestartPolicy.parse("always"));
        assertEquals(new RestartPolicy("unless-stopped", 0), RestartPolicy.parse("unless-stopped"));
        assertEquals(new RestartPolicy("on-failure", 0), RestartPolicy.parse("on-failure"));
        assertEquals(new RestartPolicy("on-failure", 3), RestartPolicy.parse("on-failure:3"));
    }

    @Test
    void anEmptyNameMeansNo() {
        assertEquals(RestartPolicy.NO, RestartPolicy.parse(""));
        assertEquals(RestartPolicy.NO, new RestartPolicy(null, 0));
    }

    @Test
    void refusesUnknownNamesBadCountsAndCountsOutsideOnFailure() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RestartPolicy.parse("sometimes"))
                .getMessage()
                .contains("use no, on-failure[:N], always or unless-stopped"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RestartPolicy.parse("on-failure:x"))
                .getMessage()
                .contains("must be a number"));
        assertThrows(IllegalArgumentException.class, () -> RestartPolicy.parse("on-failure:-1"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> RestartPolicy.parse("always:2"))
                .getMessage()
                .contains("only be used with on-failure"));
    }

    @Test
    void onFailureRestartsOnlyNonZeroExitsUpToTheCount() {
        RestartPolicy policy = RestartPolicy.parse("on-failure:2");
        assertFalse(policy.restartsAfter(0, 0, false), "a clean exit is not a failure");
        assertTrue(policy.restartsAfter(1, 0, false));
        assertTrue(policy.restartsAfter(1, 1, false));
        assertFalse(policy.restartsAfter(1, 2, false), "two restarts used");
        assertTrue(RestartPolicy.parse("on-failure").restartsAfter(1, 1000, false), "no count: no limit");
    }

    @Test
    void alwaysAndUnlessStoppedRestartAnyExitButNotAStopByHand() {
        for (String name : new String[] {"always", "unless-stopped"}) {
            RestartPolicy policy = RestartPolicy.parse(name);
            assertTrue(policy.restartsAfter(0, 7, false), name);
            assertTrue(policy.restartsAfter(137, 0, false), name);
            assertFalse(policy.restartsAfter(137, 0, true), name + " after docker stop");
        }
        assertFalse(RestartPolicy.NO.restartsAfter(1, 0, false));
    }

    @Test
    void onlyAlwaysRestartsWithTheDaemonAfterAStopByHand() {
        assertTrue(RestartPolicy.parse("always").restartsWithDaemon(true));
        assertTrue(RestartPolicy.parse("unless-stopped").restartsWithDaemon(false));
        assertFalse(RestartPolicy.parse("unless-stopped").restartsWithDaemon(true));
        assertFalse(RestartPolicy.parse("on-failure").restartsWithDaemon(false));
        assertFalse(RestartPolicy.NO.restartsWithDaemon(false));
    }
}
