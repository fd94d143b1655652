package dev.canal.images.registry;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A {@code WWW-Authenticate} challenge from a 401 response (RFC 7235 section 2.1): a scheme and
 * its parameters. Registries send {@code Basic realm="..."} or, for token auth, {@code Bearer
 * realm="https://auth.example/token",service="registry.example",scope="repository:bb:pull"}.
 *
 * @param scheme {@code basic} or {@code bearer}, lower case
 * @param parameters the parameters, names in lower case, values unquoted
 */
public record AuthChallenge(String scheme, Map<String, String> parameters) {

    public AuthChallenge {
        parameters = Map.copyOf(parameters);
    }

    /** The first Bearer or Basic challenge among a response's {@code WWW-Authenticate} headers. */
    public static Optional<AuthChallenge> first(List<String> headers) {
        return headers.stream()
                .map(AuthChallenge::parse)
                .filter(c -> c.scheme.equals("bearer") || c.scheme.equals("basic"))
                .findFirst();
    }

    /** Parses one challenge: a scheme, then {@code name=value} pairs, values bare or quoted. */
    public static AuthChallenge parse(String header) {
        String text = header.strip();
        int space = text.indexOf(' ');
        String scheme = (space < 0 ? text : text.substring(0, space)).toLowerCase(Locale.ROOT);
        var parameters = new LinkedHashMap<String, String>();
        int i = space < 0 ? text.length() : space + 1;
        while (i < text.length()) {
            int equals = text.indexOf('=', i);
            if (equals < 0) {
                break;
            }
            String name = text.substring(i, equals).strip().toLowerCase(Locale.ROOT);
            var value = new StringBuilder();
            i = equals + 1;
            if (i < text.length() && text.charAt(i) == '"') {
                // quoted-string: a backslash escapes the next character (RFC 7230 section 3.2.6)
                for (i++; i < text.length() && text.charAt(i) != '"'; i++) {
                    if (text.charAt(i) == '\\' && i + 1 < text.length()) {
                        i++;
                    }
                    value.append(text.charAt(i));
                }
                i++;
            } else {
                for (; i < text.length() && text.charAt(i) != ','; i++) {
                    value.append(text.charAt(i));
                }
            }
            parameters.put(name, value.toString().strip());
            while (i < text.length() && (text.charAt(i) == ',' || text.charAt(i) == ' ')) {
                i++;
            }
        }
        return new AuthChallenge(scheme, parameters);
    }

    /** A parameter's value, or empty. */
    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }
}
