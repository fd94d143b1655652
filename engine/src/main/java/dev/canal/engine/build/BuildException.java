package dev.canal.engine.build;

/**
 * A build step that failed: a RUN's command returned non-zero, a COPY found nothing to copy, an
 * ADD named a URL. The message is docker's, the one line both front ends show.
 */
public final class BuildException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public BuildException(String message) {
        super(message);
    }
}
