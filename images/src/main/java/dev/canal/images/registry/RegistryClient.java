package dev.canal.images.registry;

import dev.canal.images.Digest;
import dev.canal.images.MediaTypes;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * A client for one registry's API (OCI distribution spec v2): {@code GET /v2/} to find out how
 * it wants to be authenticated, {@code GET /v2/NAME/manifests/REFERENCE} with the manifest kinds
 * we read in {@code Accept}, and {@code GET /v2/NAME/blobs/DIGEST}, following the redirect most
 * registries answer with to where the blob is stored; for a push {@code HEAD} of a blob and
 * {@code PUT} of a manifest ({@link BlobUpload} sends the blobs). Thread-safe: layers move in
 * parallel through one client.
 */
public final class RegistryClient implements AutoCloseable {

    /** A manifest can be an index of a hundred platforms but not a layer: containerd's limit. */
    private static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /** Registries redirect a blob once or twice (to a CDN, then to storage). */
    private static final int MAX_REDIRECTS = 5;

    private final RegistryHttp http;
    private final TokenAuthenticator authenticator;
    private final boolean anonymous;
    private volatile boolean pinged;

    /** A client that pulls: tokens are asked for with the scope {@code pull}. */
    public RegistryClient(RegistryEndpoint endpoint, Optional<RegistryCredentials> credentials) {
        this(endpoint, credentials, "pull");
    }

    private RegistryClient(RegistryEndpoint endpoint, Optional<RegistryCredentials> credentials, String actions) {
        this.http = new RegistryHttp(endpoint);
        this.authenticator = new TokenAuthenticator(http, credentials, actions);
        this.anonymous = credentials.isEmpty();
    }

    /** A client that pushes: tokens are asked for with the scope {@code pull,push}. */
    public static RegistryClient forPush(RegistryEndpoint endpoint, Optional<RegistryCredentials> credentials) {
        return new RegistryClient(endpoint, credentials, "pull,push");
    }

    public RegistryEndpoint endpoint() {
        return http.endpoint();
    }

    /**
     * Fetches a manifest or index by tag or digest, with every kind Canal reads in {@code Accept},
     * and checks it ({@link VerifiedManifest#check}): its digest against the one asked for and
     * the one the registry states, its media type against the ones asked for.
     */
    public VerifiedManifest manifest(String repository, String tagOrDigest) {
        URI uri = http.endpoint().resolve(repository + "/manifests/" + tagOrDigest);
        HttpResponse<InputStream> response = get(repository, uri, MediaTypes.MANIFEST_ACCEPT);
        byte[] bytes;
        try (InputStream body = response.body()) {
            bytes = body.readNBytes(MAX_MANIFEST_BYTES + 1);
        } catch (IOException e) {
            throw new RegistryException(
                    "reading the manifest from " + http.endpoint().authority() + ": " + RegistryHttp.rootMessage(e), e);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw new RegistryException("the manifest " + repository + ":" + tagOrDigest + " is larger than "
                    + MAX_MANIFEST_BYTES + " bytes");
        }
        Optional<Digest> requested =
                tagOrDigest.contains(":") ? Optional.of(Digest.parse(tagOrDigest)) : Optional.empty();
        return VerifiedManifest.check(
                bytes,
                response.headers().firstValue("Content-Type"),
                response.headers().firstValue("Docker-Content-Digest").map(Digest::parse),
                requested);
    }

    /** Opens a blob's content for reading; the caller closes the stream. */
    public BlobStream blob(String repository, Digest digest) {
        HttpResponse<InputStream> response =
                get(repository, http.endpoint().resolve(repository + "/blobs/" + digest), "*/*");
        return new BlobStream(
                response.body(),
                response.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    /**
     * {@code HEAD /v2/NAME/blobs/DIGEST}: whether the repository already has the blob, so a push
     * need not send it. 200 yes, 404 no; anything else is an error.
     */
    public boolean hasBlob(String repository, Digest digest) {
        URI uri = http.endpoint().resolve(repository + "/blobs/" + digest);
        HttpResponse<InputStream> response =
                send(repository, () -> HttpRequest.newBuilder(uri).method("HEAD", HttpRequest.BodyPublishers.noBody()));
        discard(response.body());
        return switch (response.statusCode()) {
            case 200 -> true;
            case 404 -> false;
            default -> throw failure(response);
        };
    }

    /**
     * {@code PUT /v2/NAME/manifests/REFERENCE} with the document's own media type as {@code
     * Content-Type}: the registry stores it under the tag (or digest) and answers 201 with the
     * digest it computed, which must be the document's. Everything the document names must
     * already be in the repository, or the registry refuses it ({@code MANIFEST_BLOB_UNKNOWN}).
     */
    public void putManifest(String repository, String reference, String mediaType, byte[] document) {
        URI uri = http.endpoint().resolve(repository + "/manifests/" + reference);
        HttpResponse<InputStream> response = send(
                repository,
                () -> HttpRequest.newBuilder(uri)
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(document))
                        .header("Content-Type", mediaType));
        discard(response.body());
        if (response.statusCode() != 201) {
            throw failure(response);
        }
        Digest sent = Digest.of(document);
        response.headers()
                .firstValue("Docker-Content-Digest")
                .map(Digest::parse)
                .ifPresent(stored -> {
                    if (!stored.equals(sent)) {
                        throw new RegistryException("the registry stored manifest " + repository + ":" + reference
                                + " as " + stored + ", but its content's digest is " + sent);
                    }
                });
    }

    /**
     * {@code docker login}'s check: {@code GET /v2/} answered with the credentials (for a Bearer
     * challenge, a token with no scope, which proves only who we are). A registry that asks for
     * nothing accepts any credentials, as docker's login does.
     */
    public void checkCredentials() {
        HttpResponse<InputStream> response = http.exchange(
                HttpRequest.newBuilder(http.endpoint().base()).GET(),
                http.endpoint().authority());
        discard(response.body());
        Optional<AuthChallenge> challenge = response.statusCode() == 401
                ? AuthChallenge.first(response.headers().allValues("WWW-Authenticate"))
                : Optional.empty();
        if (challenge.isEmpty()) {
            expectRegistryApi(response.statusCode());
            return;
        }
        String authorization = authenticator.answer(challenge.get(), null);
        response = http.exchange(
                HttpRequest.newBuilder(http.endpoint().base()).GET().header("Authorization", authorization),
                http.endpoint().authority());
        discard(response.body());
        if (response.statusCode() == 401) {
            throw new RegistryException(
                    "unauthorized: " + http.endpoint().authority() + " refused the user name " + "or password");
        }
        expectRegistryApi(response.statusCode());
    }

    /**
     * A GET to the registry, answered 200, redirects followed. Any other answer is an error.
     */
    private HttpResponse<InputStream> get(String repository, URI start, String accept) {
        URI uri = start;
        HttpResponse<InputStream> response = send(repository, () -> request(start, accept));
        for (int redirects = 0; isRedirect(response.statusCode()); redirects++) {
            URI location = redirectTarget(response, uri);
            discard(response.body());
            if (redirects == MAX_REDIRECTS) {
                throw new RegistryException("more than " + MAX_REDIRECTS + " redirects for " + uri.getPath());
            }
            var request = request(location, accept);
            if (location.getAuthority().equals(http.endpoint().authority())) {
                authenticator.authorization(repository).ifPresent(a -> request.header("Authorization", a));
            }
            response = http.exchange(request, location.getAuthority());
            uri = location;
        }
        if (response.statusCode() != 200) {
            throw RegistryErrors.of(response, uri.getAuthority(), anonymous);
        }
        return response;
    }

    /**
     * A request to the registry about {@code repository}, whatever its answer: authorized with
     * what was earned before for this repository; on a 401 the challenge answered once and the
     * request made again, from a fresh builder (its body, too, is sent again). The caller reads
     * the status and closes the body.
     */
    HttpResponse<InputStream> send(String repository, Supplier<HttpRequest.Builder> request) {
        ping(repository);
        HttpResponse<InputStream> response = http.exchange(
                authorized(request.get(), authenticator.authorization(repository)),
                http.endpoint().authority());
        if (response.statusCode() == 401) {
            Optional<AuthChallenge> challenge =
                    AuthChallenge.first(response.headers().allValues("WWW-Authenticate"));
            if (challenge.isPresent()) {
                discard(response.body());
                String authorization = authenticator.answer(challenge.get(), repository);
                response = http.exchange(
                        authorized(request.get(), Optional.of(authorization)),
                        http.endpoint().authority());
            }
        }
        return response;
    }

    /** The one-line error for an answer the caller did not expect; reads and closes its body. */
    RegistryException failure(HttpResponse<InputStream> response) {
        return RegistryErrors.of(response, http.endpoint().authority(), anonymous);
    }

    private static HttpRequest.Builder authorized(HttpRequest.Builder request, Optional<String> authorization) {
        authorization.ifPresent(a -> request.header("Authorization", a));
        return request;
    }

    /**
     * {@code GET /v2/}: is this a registry, can we reach it, and how does it authenticate? A 200
     * means no authentication; a 401's challenge is answered at once, so the first real request
     * already carries the token.
     */
    private void ping(String repository) {
        if (pinged) {
            return;
        }
        HttpResponse<InputStream> response = http.exchange(
                HttpRequest.newBuilder(http.endpoint().base()).GET(),
                http.endpoint().authority());
        discard(response.body());
        if (response.statusCode() == 401) {
            AuthChallenge.first(response.headers().allValues("WWW-Authenticate"))
                    .ifPresent(challenge -> authenticator.answer(challenge, repository));
        } else {
            expectRegistryApi(response.statusCode());
        }
        pinged = true;
    }

    /** {@code GET /v2/} answered {@code status}: 200 is a registry; a 404 or anything else is not. */
    private void expectRegistryApi(int status) {
        switch (status) {
            case 200 -> {}
            case 404 ->
                throw new RegistryException(http.endpoint().authority() + " does not serve the registry API (GET "
                        + http.endpoint().base().getPath() + ": HTTP 404)");
            default ->
                throw new RegistryException(http.endpoint().authority() + " answered GET "
                        + http.endpoint().base().getPath() + " with HTTP " + status);
        }
    }

    private static HttpRequest.Builder request(URI uri, String accept) {
        return HttpRequest.newBuilder(uri).GET().header("Accept", accept);
    }

    private static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * Where a redirect points. Registries send blobs to object storage this way; the registry's
     * {@code Authorization} goes along only to the registry's own host (an object store rejects
     * a second credential, and the token is not its business), and https is never given up for
     * http.
     */
    private static URI redirectTarget(HttpResponse<?> response, URI from) {
        String location = response.headers()
                .firstValue("Location")
                .orElseThrow(() -> new RegistryException(
                        from.getAuthority() + " redirected (HTTP " + response.statusCode() + ") without a Location"));
        URI target = from.resolve(location);
        if (from.getScheme().equals("https") && !target.getScheme().equals("https")) {
            throw new RegistryException(from.getAuthority() + " redirected " + from.getPath() + " to "
                    + target.getScheme() + "://" + target.getAuthority() + "; refusing to leave https");
        }
        return target;
    }

    /** Ends a response whose body is not wanted (a 401 or a redirect), so its connection can be reused. */
    private static void discard(InputStream body) {
        try {
            body.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
