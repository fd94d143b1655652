package dev.canal.daemon;

/**
 * A failure the API answers with a status of its own and docker's error body, {@code {"message":
 * ...}} (https://docs.docker.com/reference/api/engine/version/v1.50/#section/Errors): for what the request got wrong rather than what the
 * engine refused, which {@link ApiHandler} maps from the engine's exceptions.
 */
final class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;

    ApiException(int status, String message) {
        super(message);
        this.status = status;
    }

    int status() {
        return status;
    }

    /** 400: the CLI prints the message after "Error response from daemon:". */
    static ApiException badRequest(String message) {
        return new ApiException(400, message);
    }

    static ApiException notFound(String message) {
        return new ApiException(404, message);
    }
}
