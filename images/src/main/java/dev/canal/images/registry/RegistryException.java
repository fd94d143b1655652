package dev.canal.images.registry;

/**
 * Talking to a registry failed: it could not be reached, refused us, did not have what was asked
 * for, or sent something other than what it named. The message is one line meant for a user:
 * {@code cannot connect to localhost:1: Connection refused}, {@code manifest unknown}.
 */
public final class RegistryException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RegistryException(String message) {
        super(message);
    }

    public RegistryException(String message, Throwable cause) {
        super(message, cause);
    }
}
