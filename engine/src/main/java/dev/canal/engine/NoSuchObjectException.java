package dev.canal.engine;

/**
 * No container, image, volume or exec instance by that id or name. The daemon answers it with
 * HTTP 404 and the message docker prints ("No such container: web").
 */
public final class NoSuchObjectException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoSuchObjectException(String message) {
        super(message);
    }
}
