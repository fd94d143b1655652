package dev.canal.runtime.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ThrowawayThreadTest {

    @Test
    void aStartedTaskRunsOnItsOwnThreadWhileTheCallerGoesOn() {
        var callerWentOn = new CountDownLatch(1);
        long caller = Thread.currentThread().threadId();

        ThrowawayThread.Started<Long> started = ThrowawayThread.start("canal-test", "wait for the caller", () -> {
            try {
                // Only a caller that start did not block can count this down.
                assertTrue(callerWentOn.await(30, TimeUnit.SECONDS), "start waited for the task");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            return Thread.currentThread().threadId();
        });
        callerWentOn.countDown();

        assertNotEquals(caller, started.join());
        assertEquals(started.join(), started.join(), "joined again, the same outcome");
    }

    @Test
    void aStartedTasksFailureIsThrownByEachJoin() {
        var failure = new IllegalArgumentException("refused");

        ThrowawayThread.Started<Object> started = ThrowawayThread.start("canal-test", "fail", () -> {
            throw failure;
        });

        assertSame(failure, assertThrows(IllegalArgumentException.class, started::join));
        assertSame(failure, assertThrows(IllegalArgumentException.class, started::join));
        var checked = ThrowawayThread.start("canal-test", "fail with an error", () -> {
            throw new AssertionError("boom");
        });
        var wrapped = assertThrows(IllegalStateException.class, checked::join);
        assertEquals("fail with an error failed", wrapped.getMessage());
    }

    @Test
    void releaseHandsOverWhatTheTaskMadeAndNothingForAFailedOne() {
        var released = new ArrayList<String>();

        ThrowawayThread.start("canal-test", "make", () -> "made").release(released::add);
        ThrowawayThread.<String>start("canal-test", "fail", () -> {
                    throw new IllegalArgumentException("refused");
                })
                .release(released::add);

        assertEquals(List.of("made"), released);
    }
}
