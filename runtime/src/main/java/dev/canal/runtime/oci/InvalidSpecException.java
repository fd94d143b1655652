package dev.canal.runtime.oci;

/**
 * A config.json that cannot be read or breaks the runtime-spec. The message is one line that
 * names the file and the JSON path, ready to show as it is:
 * {@code config.json: process.user.uid: expected a number, got "root"}.
 */
public final class InvalidSpecException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidSpecException(String message) {
        super(message);
    }

    InvalidSpecException(String message, Throwable cause) {
        super(message, cause);
    }
}
