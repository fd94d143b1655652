package dev.canal.images.registry;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A failed registry response as a one-line message. The distribution spec's error body is
 * {@code {"errors": [{"code": "MANIFEST_UNKNOWN", "message": "manifest unknown", "detail": ...}]}};
 * its messages are what the user sees, so a missing tag reads {@code manifest unknown}.
 */
final class RegistryErrors {

    /** Error bodies are small; a proxy's HTML page need not be read to the end. */
    private static final int MAX_ERROR_BODY = 64 * 1024;

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private RegistryErrors() {}

    /** The exception for an unexpected status; reads and closes the body. */
    static RegistryException of(HttpResponse<InputStream> response, String authority, boolean anonymous) {
        String messages = messages(response);
        int status = response.statusCode();
        String text = switch (status) {
            case 401 ->
                "unauthorized: " + (messages.isEmpty() ? "authentication required" : messages)
                        + (anonymous ? " (no credentials were given)" : "");
            case 403 -> "denied: " + (messages.isEmpty() ? "access forbidden" : messages);
            case 404 -> messages.isEmpty() ? "not found" : messages;
            default -> messages.isEmpty() ? "HTTP " + status : messages + " (HTTP " + status + ")";
        };
        return new RegistryException(text + (status == 404 || status == 401 ? "" : " from " + authority));
    }

    private static String messages(HttpResponse<InputStream> response) {
        try (InputStream body = response.body()) {
            JsonNode errors = JSON.readTree(body.readNBytes(MAX_ERROR_BODY)).path("errors");
            var messages = new ArrayList<String>();
            for (JsonNode error : errors) {
                String message = error.path("message").asString("");
                messages.add(message.isEmpty() ? error.path("code").asString("") : message);
            }
            return String.join("; ", messages);
        } catch (IOException | JacksonException e) {
            return "";
        }
    }
}
