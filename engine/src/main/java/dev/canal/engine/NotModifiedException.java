package dev.canal.engine;

public final class NotModifiedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotModifiedException(String message) {
        super(message);
    }
}
