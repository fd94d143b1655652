package dev.canal.daemon;

import dev.canal.engine.ConflictException;
import dev.canal.engine.Engine;
import dev.canal.engine.NoSuchObjectException;
import dev.canal.engine.NotModifiedException;
import dev.canal.engine.StartFailedException;
import dev.canal.engine.net.ForbiddenException;
import dev.canal.images.ImageException;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.server.Handler.Abstract;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

final class ApiHandler extends Abstract {
    static final String API_VERSION = "1.50";
    static final String MIN_API_VERSION = "1.24";
    private static final Pattern VERSIONED = Pattern.compile("/v([0-9]+)\\.([0-9]+)(/.*)");
    private final Routes routes = new Routes();

    ApiHandler(Engine engine, DaemonInfo daemon) {
        new SystemEndpoints(engine, daemon).register(this.routes);
        new ContainerEndpoints(engine).register(this.routes);
        new ExecEndpoints(engine).register(this.routes);
        new ImageEndpoints(engine).register(this.routes);
        new VolumeEndpoints(engine).register(this.routes);
        new NetworkEndpoints(engine).register(this.routes);
    }

    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        Matcher versioned = VERSIONED.matcher(path);
        if (versioned.matches()) {
            int minor = Integer.parseInt(versioned.group(2));
            if (!versioned.group(1).equals("1") || minor > 50) {
                reply(
                        new Exchange(request, response, callback, List.of()),
                        400,
                        "client version " + versioned.group(1) + "." + versioned.group(2)
                                + " is too new. Maximum supported API version is 1.50");
                return true;
            }

            path = versioned.group(3);
        }

        response.getHeaders().put("Api-Version", "1.50");
        response.getHeaders().put("Server", "Canal/0.1.0 (linux)");
        Routes.Match match = this.routes.find(request.getMethod(), path);
        Exchange exchange = new Exchange(request, response, callback, match == null ? List.of() : match.parameters());
        if (match == null) {
            reply(exchange, 404, "page not found");
            return true;
        }

        try {
            match.endpoint().handle(exchange);
        } catch (Throwable failure) {
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
            case StartFailedException start -> start.status() == 125 ? 500 : 400;
            case ImageException image when String.valueOf(image.getMessage()).startsWith("no such image") -> 404;
            case IllegalArgumentException badParameter -> 400;
            default -> 500;
        };
    }

    private static String message(Throwable failure) {
        String message = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        return failure instanceof ImageException && message.startsWith("no such image")
                ? "No such image" + message.substring("no such image".length())
                : message;
    }

    private static void reply(Exchange exchange, int status, String message) {
        if (status == 304) {
            exchange.empty(304);
        } else {
            exchange.json(status, Map.of("message", message));
        }
    }
}
