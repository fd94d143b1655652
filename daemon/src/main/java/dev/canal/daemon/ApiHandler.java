package dev.canal.daemon;

import dev.canal.engine.ConflictException;
import dev.canal.engine.Engine;
import dev.canal.engine.NoSuchObjectException;
import dev.canal.engine.NotModifiedException;
import dev.canal.engine.StartFailedException;
import dev.canal.engine.net.ForbiddenException;
import dev.canal.images.ImageException;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Every request of the Docker Engine API reaches this Jetty handler: it strips the version prefix,
 * finds the {@link Endpoint} in {@link Routes}, and turns what the endpoint throws into docker's
 * error answer.
 *
 * <p>Versioning (https://docs.docker.com/reference/api/engine/version/v1.50/#section/Versioning): a client may prefix a path with the API version it
 * speaks ({@code /v1.50/containers/json}). The docker CLI first asks {@code GET /_ping} without
 * one and reads the {@code Api-Version} header of the answer; it then uses the lower of its own
 * version and the daemon's. That is why every answer carries the header, and why a version above
 * ours is refused with a 400 that names our maximum, as dockerd's is.
 *
 * <p>Errors (https://docs.docker.com/reference/api/engine/version/v1.50/#section/Errors): an HTTP status and {@code {"message": "..."}}. The CLI prints
 * "Error response from daemon: " and the message, and exits 1 (125 for {@code docker run}). The
 * statuses are docker's: 404 for no such container, image or volume; 409 for a name in use or a
 * running container; 400 for a bad parameter; 500 for the rest; 304 with no body for a start or
 * stop that has nothing to do.
 */
final class ApiHandler extends Handler.Abstract {
    /** docker 28.2's: the CLI on these machines speaks it without DOCKER_API_VERSION. */
    static final String API_VERSION = "1.50";

    /** The oldest version dockerd 28 still answers; canald keeps its answer shapes. */
    static final String MIN_API_VERSION = "1.24";

    private static final int MAX_MINOR = 50;
    private static final Pattern VERSIONED = Pattern.compile("/v([0-9]+)\\.([0-9]+)(/.*)");
    private final Routes routes = new Routes();

    ApiHandler(Engine engine, DaemonInfo daemon) {
        new SystemEndpoints(engine, daemon).register(routes);
        new ContainerEndpoints(engine).register(routes);
        new ExecEndpoints(engine).register(routes);
        new ImageEndpoints(engine).register(routes);
        new CommitEndpoint(engine).register(routes);
        new BuildEndpoint(engine).register(routes);
        new VolumeEndpoints(engine).register(routes);
        new NetworkEndpoints(engine).register(routes);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        Matcher versioned = VERSIONED.matcher(path);
        if (versioned.matches()) {
            int minor = Integer.parseInt(versioned.group(2));
            if (!versioned.group(1).equals("1") || minor > MAX_MINOR) {
                reply(
                        new Exchange(request, response, callback, List.of()),
                        400,
                        "client version " + versioned.group(1) + "." + versioned.group(2)
                                + " is too new. Maximum supported API version is " + API_VERSION);
                return true;
            }

            path = versioned.group(3);
        }

        response.getHeaders().put("Api-Version", API_VERSION);
        response.getHeaders().put("Server", "Canal/" + DaemonInfo.VERSION + " (linux)");
        Routes.Match match = routes.find(request.getMethod(), path);
        Exchange exchange = new Exchange(request, response, callback, match == null ? List.of() : match.parameters());
        if (match == null) {
            reply(exchange, 404, "page not found");
            return true;
        }

        try {
            match.endpoint().handle(exchange);
        } catch (Throwable failure) {
            // Once a status is on its way (a stream, a hijacked connection), an error can only end
            // the response: the client sees the stream stop.
            if (exchange.answered()) {
                if (!response.isCommitted()) {
                    callback.failed(failure);
                }

                return true;
            }

            reply(exchange, status(failure), message(failure));
        }

        return true;
    }

    private static int status(Throwable failure) {
        return switch (failure) {
            case ApiException api -> api.status();
            case NoSuchObjectException notFound -> 404;
            case ConflictException conflict -> 409;
            case ForbiddenException forbidden -> 403;
            case NotModifiedException nothingToDo -> 304;
            // docker run's 126 and 127 (not executable, not found) are the request's fault: 400.
            // Any other failure has its cause's status, as moby's errdefs carry it through the
            // start: a missing network is a 404, a stopped container to share a network with 409.
            case StartFailedException start when start.status() != 125 -> 400;
            case StartFailedException start -> start.getCause() == null ? 500 : status(start.getCause());
            case ImageException image when String.valueOf(image.getMessage()).startsWith("no such image") -> 404;
            case IllegalArgumentException badParameter -> 400;
            default -> 500;
        };
    }

    /** The message the CLI prints; docker capitalises "No such image", which scripts match. */
    private static String message(Throwable failure) {
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        return failure instanceof ImageException && message.startsWith("no such image")
                ? "No such image" + message.substring("no such image".length())
                : message;
    }

    /**
     * An error answer, after what is left of the request's body has been read and dropped. A
     * client still sending one (an import's tar refused for its {@code changes}) would otherwise
     * have the connection closed under it and report "broken pipe" instead of the error; Go's
     * server, dockerd's, also reads on before it closes.
     */
    private static void reply(Exchange exchange, int status, String message) {
        try {
            Content.Source.consumeAll(exchange.request);
        } catch (IOException | RuntimeException unreadable) {
            // The client went, or its body was broken: the answer below may not reach it either.
        }
        if (status == 304) {
            exchange.empty(304);
        } else {
            exchange.json(status, Map.of("message", message));
        }
    }
}
