package dev.canal.runtime.seccomp;

/**
 * A {@code linux.seccomp} section that cannot become a filter. The message is one line that
 * starts with the JSON path of the offending value, for example
 * {@code linux.seccomp.syscalls[3].names[0]: unknown system call "opne"}.
 */
public final class InvalidSeccompException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    InvalidSeccompException(String path, String problem) {
        super(path + ": " + problem);
    }
}
