package dev.canal.daemon;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

final class Routes {
    private final List<Routes.Route> routes = new ArrayList<>();

    Routes add(String method, String path, Endpoint endpoint) {
        String regex = path.replaceAll("\\{[a-z]+\\*}", "(.+)").replaceAll("\\{[a-z]+}", "([^/]+)");
        this.routes.add(new Routes.Route(method, Pattern.compile(regex), endpoint));
        return this;
    }

    Routes.Match find(String method, String path) {
        for (String wanted : method.equals("HEAD") ? List.of("HEAD", "GET") : List.of(method)) {
            for (Routes.Route route : this.routes) {
                if (route.method().equals(wanted)) {
                    Matcher matcher = route.pattern().matcher(path);
                    if (matcher.matches()) {
                        ArrayList<String> parameters = new ArrayList<>();

                        for (int i = 1; i <= matcher.groupCount(); i++) {
                            parameters.add(matcher.group(i));
                        }

                        return new Routes.Match(route.endpoint(), parameters);
                    }
                }
            }
        }

        return null;
    }

    record Match(Endpoint endpoint, List<String> parameters) {}

    private record Route(String method, Pattern pattern, Endpoint endpoint) {}
}
