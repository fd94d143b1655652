package dev.canal.runtime.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.canal.runtime.sys.Signals;
import dev.canal.runtime.testing.Sleeper;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link Container#killWithoutLock}: SIGKILL and SIGTERM reach the recorded process through the
 * JDK's ProcessHandle, without the container's lock, and nothing reaches a process that only has
 * the recorded pid, nor goes this way for another signal. The recorded processes are sleep(1)
 * children of the test ({@link Sleeper}), whose exit status says which signal ended them.
 */
class KillWithoutLockTest {

    @TempDir
    Path root;

    @Test
    void sigkillAndSigtermReachTheRecordedProcessWhileAnotherCommandHoldsTheLock() throws Exception {
        for (int signal : new int[] {Signals.SIGTERM, Signals.SIGKILL}) {
            Process sleeper = Sleeper.start(600);
            try {
                Container container = recording(sleeper, "sleeper-" + signal, 0);
                // Held by this thread as a delete or a start holds it; the kill runs on another one,
                // where taking the lock would wait for it.
                try (var held = container.lock(StateLock.Mode.EXCLUSIVE)) {
                    assertTrue(CompletableFuture.supplyAsync(() -> container.killWithoutLock(signal))
                            .get(60, TimeUnit.SECONDS));
                }
                assertTrue(sleeper.waitFor(60, TimeUnit.SECONDS));
                assertEquals(128 + signal, sleeper.exitValue(), Signals.name(signal) + " ended it");
            } finally {
                sleeper.destroyForcibly();
            }
        }
    }

    @Test
    void aPidThatNowNamesAnotherProcessGetsNoSignal() throws Exception {
        Process sleeper = Sleeper.start(600);
        try {
            // Recorded with another start time: the pid was reused by a later process.
            Container container = recording(sleeper, "reused", 1);
            assertFalse(container.killWithoutLock(Signals.SIGTERM));
            assertEndedBySighupNotBefore(sleeper);
        } finally {
            sleeper.destroyForcibly();
        }
    }

    @Test
    void otherSignalsAreLeftToTheLockedKill() throws Exception {
        Process sleeper = Sleeper.start(600);
        try {
            Container container = recording(sleeper, "other-signal", 0);
            assertFalse(container.killWithoutLock(Signals.parse("USR1")));
            assertEndedBySighupNotBefore(sleeper);
        } finally {
            sleeper.destroyForcibly();
        }
    }

    /** Container {@code id} recording {@code process}, with its start time plus {@code startTimeOffset}. */
    private Container recording(Process process, String id, long startTimeOffset) {
        int pid = (int) process.pid();
        FakeStateDirectories.write(root, id, pid, ProcessIdentity.startTime(pid) + startTimeOffset);
        return new Containers(root).load(id);
    }

    /**
     * Sends SIGHUP and checks that it is what ended {@code sleeper}: a SIGTERM or SIGUSR1 sent
     * before would have ended it first (a pending signal is acted on when the process wakes).
     */
    private static void assertEndedBySighupNotBefore(Process sleeper) throws InterruptedException {
        assertTrue(sleeper.isAlive(), "nothing ended it");
        Signals.kill((int) sleeper.pid(), Signals.parse("HUP"));
        assertTrue(sleeper.waitFor(60, TimeUnit.SECONDS));
        assertEquals(128 + 1, sleeper.exitValue(), "ended by the SIGHUP, not by a signal sent before");
    }
}
