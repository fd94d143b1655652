package dev.canal.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API's operations by method and path pattern, {@code {name}} for one path segment and
 * {@code {name*}} for the rest of the path (an image's name has slashes: {@code /images/a/b/json}).
 * A HEAD request falls back to the GET route, as HTTP allows (RFC 9110, 9.3.2).
 */
final class Routes {
    private final List<Route> routes = new ArrayList<>();

    Routes add(String method, String path, Endpoint endpoint) {
        String regex = path.replaceAll("\\{[a-z]+\\*}", "(.+)").replaceAll("\\{[a-z]+}", "([^/]+)");
        routes.add(new Route(method, Pattern.compile(regex), endpoint));
        return this;
    }

    /** The first route for the method that matches the whole path, with its parameters, or null. */
    Match find(String method, String path) {
        for (String wanted : method.equals("HEAD") ? List.of("HEAD", "GET") : List.of(method)) {
            for (Route route : routes) {
                if (route.method().equals(wanted)) {
                    Matcher matcher = route.pattern().matcher(path);
                    if (matcher.matches()) {
                        List<String> parameters = new ArrayList<>();

                        for (int i = 1; i <= matcher.groupCount(); i++) {
                            parameters.add(matcher.group(i));
                        }

                        return new Match(route.endpoint(), parameters);
                    }
                }
            }
        }

        return null;
    }

    record Match(Endpoint endpoint, List<String> parameters) {}

    private record Route(String method, Pattern pattern, Endpoint endpoint) {}
}
