package dev.canal.runtime.sys;

import java.util.concurrent.locks.LockSupport;

/**
 * The pause between two looks at something the kernel gives no event for (a FIFO's reader, a
 * /proc entry, a pid that goes away): short at first, because most waits end within a few
 * system calls of the other side, then longer, up to a millisecond, so a long wait does not keep
 * a core busy. On a 2-core machine a spinning waiter takes the very core the process it waits
 * for needs. One instance per wait; not thread-safe.
 */
public final class Backoff {

    private static final long FIRST_NANOS = 10_000;
    private static final long LONGEST_NANOS = 1_000_000;

    private long nextNanos = FIRST_NANOS;

    /** Parks this thread for the next pause: 10 µs, doubling up to 1 ms. */
    public void pause() {
        LockSupport.parkNanos(nextNanos);
        nextNanos = Math.min(LONGEST_NANOS, nextNanos * 2);
    }
}
