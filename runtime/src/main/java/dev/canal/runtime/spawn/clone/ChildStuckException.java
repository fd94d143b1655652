package dev.canal.runtime.spawn.clone;

/**
 * A cloned child did not reach its hold point or execve(2) before the watchdog expired, every
 * time it was tried; each one was killed with SIGKILL and reaped. A healthy child gets there in
 * milliseconds, so this means Java code in the child blocked on the JVM (the child path was
 * deoptimized, never compiled, or a JVM agent changed it), or the machine is badly overloaded.
 */
public final class ChildStuckException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ChildStuckException(String message) {
        super(message);
    }
}
