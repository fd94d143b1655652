package dev.canal.images.layer;

import io.airlift.compress.v3.zstd.ZstdInputStream;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * The compression of a layer blob, recognised by its first bytes (RFC 1952 for gzip, RFC 8878
 * for zstd) rather than by its media type: docker-archive files call plain tars "layers" too,
 * and the content is what has to be decoded.
 */
public enum Compression {
    GZIP,
    ZSTD,
    NONE;

    /** Wraps {@code blob} in the decompressor its first bytes call for. */
    public static InputStream decompress(InputStream blob) throws IOException {
        var buffered = new BufferedInputStream(blob, 1 << 16);
        return switch (detect(buffered)) {
            // GZIPInputStream also reads gzip files made of several members, as pigz writes.
            case GZIP -> new GZIPInputStream(buffered, 1 << 16);
            // aircompressor's decoder is pure Java: no native libzstd through JNI or FFM.
            case ZSTD -> new ZstdInputStream(buffered);
            case NONE -> buffered;
        };
    }

    static Compression detect(BufferedInputStream input) throws IOException {
        input.mark(4);
        byte[] magic = input.readNBytes(4);
        input.reset();
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        if (magic.length == 4
                && (magic[0] & 0xff) == 0x28
                && (magic[1] & 0xff) == 0xb5
                && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            return ZSTD;
        }
        return NONE;
    }
}
