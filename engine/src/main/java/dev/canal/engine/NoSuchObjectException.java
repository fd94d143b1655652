package dev.canal.engine;

public final class NoSuchObjectException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NoSuchObjectException(String message) {
        super(message);
    }
}
