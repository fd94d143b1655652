package dev.canal.runtime.container;

/**
 * A container operation that cannot be done, with a one-line message naming the container,
 * the field of its config or the state that is wrong, as runc's errors do.
 */
public final class ContainerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ContainerException(String message) {
        super(message);
    }

    public ContainerException(String message, Throwable cause) {
        super(message, cause);
    }
}
