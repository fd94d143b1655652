package dev.canal.runtime.sys;

import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

/**
 * The pause between two looks at something the kernel gives no event for (a FIFO's reader, a
 * /proc entry, a pid that goes away): short at first, because most waits end within a few
 * system calls of the other side, then longer, up to a millisecond, so a long wait does not keep
 * a core busy. On a 2-core machine a spinning waiter takes the very core the process it waits
 * for needs. One instance per wait; not thread-safe.
 *
 * <p>A wait with a limit keeps its deadline here, so every such loop reads the same way:
 * <pre>{@code
 * var backoff = Backoff.until(timeout);
 * while (!done()) {
 *     if (!backoff.pause()) {
 *         throw ... // or return false: the deadline passed
 *     }
 * }
 * }</pre>
 */
public final class Backoff {

    private static final long FIRST_NANOS = 10_000;
    private static final long LONGEST_NANOS = 1_000_000;

    /** {@link System#nanoTime()} after which {@link #pause()} gives up; null for never. */
    private final Long deadline;

    private long nextNanos = FIRST_NANOS;

    /** A wait with no limit: {@link #pause()} always pauses. */
    public Backoff() {
        this.deadline = null;
    }

    private Backoff(long deadline) {
        this.deadline = deadline;
    }

    /** A wait that gives up once {@code limit} has passed from now. */
    public static Backoff until(Duration limit) {
        return new Backoff(System.nanoTime() + limit.toNanos());
    }

    /**
     * Parks this thread for the next pause (10 µs, doubling up to 1 ms) and returns true; returns
     * false at once when the deadline has passed.
     */
    public boolean pause() {
        if (deadline != null && System.nanoTime() - deadline > 0) {
            return false;
        }
        LockSupport.parkNanos(nextNanos);
        nextNanos = Math.min(LONGEST_NANOS, nextNanos * 2);
        return true;
    }
}
