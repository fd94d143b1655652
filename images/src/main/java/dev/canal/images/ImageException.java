package dev.canal.images;

/**
 * Something about an image is wrong or missing: a blob whose content does not match its
 * digest, a manifest for another platform, a layer entry that would escape its directory, an
 * unknown name. The message is one line that names the image, blob or path concerned, so the
 * command line can print it as it is.
 */
public final class ImageException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ImageException(String message) {
        super(message);
    }

    public ImageException(String message, Throwable cause) {
        super(message, cause);
    }
}
