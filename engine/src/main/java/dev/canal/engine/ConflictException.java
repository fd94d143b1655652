package dev.canal.engine;

/**
 * The request conflicts with the container's state or another object: a name in use, a running
 * container to remove, a stopped one to exec into. The daemon answers it with HTTP 409, as the
 * Engine API does.
 */
public final class ConflictException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
