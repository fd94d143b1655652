package dev.canal.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.bindings.linux.linux_h;
import dev.canal.runtime.testing.Sleeper;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SignalsTest {

    @Test
    void parsesNamesNumbersAndRealTimeSignalsAsRuncDoes() {
        assertEquals(15, Signals.parse("TERM"));
        assertEquals(15, Signals.parse("SIGTERM"));
        assertEquals(15, Signals.parse("sigterm"));
        assertEquals(9, Signals.parse("9"));
        assertEquals(34, Signals.parse("RTMIN"));
        assertEquals(36, Signals.parse("SIGRTMIN+2"));
        assertEquals(63, Signals.parse("RTMAX-1"));
    }

    @Test
    void rejectsWhatIsNoSignal() {
        for (String bad : new String[] {"TERMINATE", "0", "65", "32", "RTMIN-1", "RTMIN+x", ""}) {
            var error = assertThrows(IllegalArgumentException.class, () -> Signals.parse(bad), bad);
            assertEquals("unknown signal \"" + bad + "\"", error.getMessage());
        }
    }

    @Test
    void theWrittenOutNumbersAreTheKernelHeaders() throws Exception {
        for (int number = 1; number < Signals.RTMIN - 2; number++) {
            String name = Signals.name(number);
            int declared = (int) linux_h.class.getMethod(name).invoke(null);
            assertEquals(declared, number, name);
            assertEquals(number, Signals.parse(name), name);
        }
        assertEquals(linux_h.SIGKILL(), Signals.SIGKILL);
        assertEquals(linux_h.SIGTERM(), Signals.SIGTERM);
    }

    @Test
    void namesSignals() {
        assertEquals("SIGKILL", Signals.name(9));
        assertEquals("SIGRTMIN+3", Signals.name(37));
    }

    @Test
    void killDeliversTheSignal() throws Exception {
        Process sleeper = Sleeper.start(60);
        try {
            Signals.kill((int) sleeper.pid(), Signals.parse("TERM"));
            assertTrue(sleeper.waitFor(10, TimeUnit.SECONDS));
            assertEquals(128 + 15, sleeper.exitValue(), "killed by SIGTERM, as a shell reports it");
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void signalZeroOnlyChecksThatTheProcessExists() {
        Signals.kill(Processes.pid(), 0);
        var error = assertThrows(SyscallException.class, () -> Signals.kill(Integer.MAX_VALUE, 0));
        assertEquals("ESRCH", error.errnoName());
    }
}
