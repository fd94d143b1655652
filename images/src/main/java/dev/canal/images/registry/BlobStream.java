package dev.canal.images.registry;

import java.io.IOException;
import java.io.InputStream;

/**
 * A blob's content as the registry (or the storage it redirected to) sends it.
 *
 * @param content the body; close it
 * @param length {@code Content-Length}, or -1 when the response did not say
 */
public record BlobStream(InputStream content, long length) implements AutoCloseable {

    @Override
    public void close() throws IOException {
        content.close();
    }
}
