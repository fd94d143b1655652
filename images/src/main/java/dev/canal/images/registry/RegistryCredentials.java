package dev.canal.images.registry;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A user name and password (or access token) for a registry. They are sent as HTTP Basic
 * credentials (RFC 7617): to the registry itself when it asks for Basic, or to its token server
 * when it asks for a Bearer token.
 */
public record RegistryCredentials(String username, String password) {

    /** Parses {@code USER:PASSWORD}, as {@code --creds} and docker's config {@code auth} (decoded) give them. */
    public static RegistryCredentials parse(String userColonPassword, String source) {
        int colon = userColonPassword.indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(source + ": expected USER:PASSWORD");
        }
        return new RegistryCredentials(userColonPassword.substring(0, colon), userColonPassword.substring(colon + 1));
    }

    /** The {@code Authorization} header value: {@code Basic base64(user:password)}. */
    public String basicAuthorization() {
        return "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** Never the password: records print every field, and these end up in logs. */
    @Override
    public String toString() {
        return "RegistryCredentials[username=" + username + "]";
    }
}
