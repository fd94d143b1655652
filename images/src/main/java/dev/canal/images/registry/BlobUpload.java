package dev.canal.images.registry;

import dev.canal.images.Digest;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.LongConsumer;

/**
 * Sends one blob into one repository, as the distribution spec's "Pushing blobs" describes:
 * <ol>
 *   <li>{@code POST /v2/NAME/blobs/uploads/?mount=DIGEST&from=OTHER}: when the registry has the
 *       blob in another repository it links it here and answers 201, and nothing is sent
 *       ("Mounting a blob from another repository"). A registry that cannot mount answers 202
 *       and an upload session, as a plain {@code POST} does.</li>
 *   <li>A blob up to the chunk size goes whole: {@code PUT LOCATION?digest=DIGEST} with the
 *       content ("monolithic upload").</li>
 *   <li>A larger one goes in chunks: {@code PATCH LOCATION} with {@code Content-Range:
 *       FIRST-LAST}, each answered 202 with the location of the next, then {@code PUT
 *       LOCATION?digest=DIGEST} with no body ("chunked upload"). A failed connection then costs
 *       one chunk, not the whole layer.</li>
 * </ol>
 * The registry checks the digest against what it received and answers 201. If anything fails
 * after the session began, it is cancelled with {@code DELETE LOCATION}, so the registry can
 * drop what it received.
 */
final class BlobUpload {

    private static final int BUFFER_SIZE = 1 << 16;

    private final RegistryClient client;
    private final String repository;
    private final Digest digest;
    private final Path content;
    private final long size;

    /**
     * @param content the blob's file in the content store
     * @param size its size in bytes
     */
    BlobUpload(RegistryClient client, String repository, Digest digest, Path content, long size) {
        this.client = client;
        this.repository = repository;
        this.digest = digest;
        this.content = content;
        this.size = size;
    }

    /**
     * Mounts the blob from {@code mountFrom}, a repository of the same registry thought to hold
     * it; true when the registry did. False when there was nothing to mount from or the
     * registry did not: then it was uploaded, {@code chunkSize} bytes at most per request, with
     * the bytes sent so far reported to {@code sent}.
     */
    boolean mountOrUpload(Optional<String> mountFrom, long chunkSize, LongConsumer sent) {
        URI uploads = client.endpoint().resolve(repository + "/blobs/uploads/");
        URI start = mountFrom
                .map(from -> URI.create(uploads + "?mount=" + encode(digest.toString()) + "&from=" + encode(from)))
                .orElse(uploads);
        HttpResponse<InputStream> response =
                client.send(repository, () -> HttpRequest.newBuilder(start).POST(HttpRequest.BodyPublishers.noBody()));
        if (response.statusCode() == 201 && mountFrom.isPresent()) {
            close(response);
            return true;
        }
        expect(response, 202);
        URI session = location(response, start);
        try {
            if (size <= chunkSize) {
                finish(session, region(0, size, sent));
            } else {
                for (long offset = 0; offset < size; offset += chunkSize) {
                    session = patch(session, offset, Math.min(chunkSize, size - offset), sent);
                }
                finish(session, HttpRequest.BodyPublishers.noBody());
            }
        } catch (RuntimeException e) {
            cancel(session);
            throw e;
        }
        return false;
    }

    /** One chunk; returns where the next goes. */
    private URI patch(URI session, long offset, long length, LongConsumer sent) {
        HttpResponse<InputStream> response = client.send(
                repository,
                () -> HttpRequest.newBuilder(session)
                        .method("PATCH", region(offset, length, sent))
                        .header("Content-Type", "application/octet-stream")
                        // An inclusive byte range, without the "bytes " unit: the distribution spec's form.
                        .header("Content-Range", offset + "-" + (offset + length - 1)));
        expect(response, 202);
        return location(response, session);
    }

    /** {@code PUT LOCATION?digest=...}: the registry checks the digest and stores the blob. */
    private void finish(URI session, BodyPublisher body) {
        String separator = session.getRawQuery() == null ? "?" : "&";
        URI put = URI.create(session + separator + "digest=" + encode(digest.toString()));
        HttpResponse<InputStream> response = client.send(
                repository,
                () -> HttpRequest.newBuilder(put).PUT(body).header("Content-Type", "application/octet-stream"));
        expect(response, 201);
    }

    /** Best effort: the registry would expire the session anyway; the upload's own error matters more. */
    private void cancel(URI session) {
        try {
            close(client.send(repository, () -> HttpRequest.newBuilder(session).DELETE()));
        } catch (RuntimeException ignored) {
            // Reported is the failure that made us cancel.
        }
    }

    /**
     * {@code length} bytes of the blob from {@code offset}, read from the store as the request
     * goes out (a layer is not held in memory) and counted for progress. A new stream each time
     * it is asked for, so an answered 401 can send it again.
     */
    private BodyPublisher region(long offset, long length, LongConsumer sent) {
        return HttpRequest.BodyPublishers.fromPublisher(
                HttpRequest.BodyPublishers.ofInputStream(() -> open(offset, length, sent)), length);
    }

    private InputStream open(long offset, long length, LongConsumer sent) {
        try {
            InputStream file = Files.newInputStream(content);
            file.skipNBytes(offset);
            return new FilterInputStream(file) {
                private long remaining = length;

                @Override
                public int read(byte[] buffer, int at, int wanted) throws IOException {
                    if (remaining == 0) {
                        return -1;
                    }
                    int n = super.read(buffer, at, (int) Math.min(Math.min(wanted, BUFFER_SIZE), remaining));
                    if (n > 0) {
                        remaining -= n;
                        sent.accept(offset + length - remaining);
                    }
                    return n;
                }

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read blob " + digest + ": " + e.getMessage(), e);
        }
    }

    /** Where the session continues: the {@code Location} of a 202, relative or absolute. */
    private URI location(HttpResponse<?> response, URI from) {
        return from.resolve(response.headers()
                .firstValue("Location")
                .orElseThrow(() -> new RegistryException(
                        client.endpoint().authority() + " answered an upload of " + digest + " without a Location")));
    }

    /** The answer must be {@code status}; its (empty) body is closed either way. */
    private void expect(HttpResponse<InputStream> response, int status) {
        if (response.statusCode() != status) {
            throw client.failure(response);
        }
        close(response);
    }

    private static void close(HttpResponse<InputStream> response) {
        try {
            response.body().close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
