package dev.canal.engine.net;

/** What docker answers with 403 Forbidden: removing a pre-defined network, one in use, an overlapping pool. */
public final class ForbiddenException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ForbiddenException(String message) {
        super(message);
    }
}
