package dev.canal.engine;

/**
 * The request asks for the state the container is already in: starting a started container or
 * stopping a stopped one. The Engine API answers these with HTTP 304, which the docker CLI treats
 * as success.
 */
public final class NotModifiedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotModifiedException(String message) {
        super(message);
    }
}
