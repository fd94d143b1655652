package dev.canal.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Map.Entry;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content.Sink;
import org.eclipse.jetty.io.Content.Source;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One request and its answer, as endpoints see them: the path's parameters, the query's values and
 * filters, the JSON body, and the ways to answer (JSON, text, empty, a stream). Jetty 12's handler
 * API is asynchronous: an answer is complete when the {@link Callback} is, so every way of
 * answering completes it once, and {@link #answered} tells {@link ApiHandler} that an error can no
 * longer become an error answer.
 */
final class Exchange {
    static final JsonMapper JSON = JsonMapper.builder().build();
    final Request request;
    final Response response;
    final Callback callback;
    private final List<String> pathParameters;
    private final Fields query;
    private boolean answered;

    Exchange(Request request, Response response, Callback callback, List<String> pathParameters) {
        this.request = request;
        this.response = response;
        this.callback = callback;
        this.pathParameters = pathParameters;
        this.query = Request.extractQueryParameters(request, StandardCharsets.UTF_8);
    }

    String path(int index) {
        return pathParameters.get(index);
    }

    String query(String name) {
        return query.getValue(name);
    }

    List<String> queries(String name) {
        List<String> values = query.getValues(name);
        return values == null ? List.of() : values;
    }

    /** A boolean query parameter: docker's clients send 1 or true, others 0, false or nothing. */
    boolean flag(String name, boolean otherwise) {
        String value = query.getValue(name);
        return value != null && !value.isEmpty() ? value.equals("1") || value.equalsIgnoreCase("true") : otherwise;
    }

    Integer integer(String name) {
        String value = query.getValue(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid value for " + name + ": " + value);
        }
    }

    /**
     * The {@code filters} parameter: JSON of a map from a filter's name to a list of values, or
     * the older form, a map to a set ({"label": {"a=b": true}}), which some clients still send.
     */
    Map<String, List<String>> filters() {
        String text = query.getValue("filters");
        Map<String, List<String>> filters = new LinkedHashMap<>();
        if (text == null || text.isEmpty()) {
            return filters;
        }
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (RuntimeException e) {
            throw ApiException.badRequest("invalid filter: " + text);
        }
        for (Entry<String, JsonNode> entry : node.properties()) {
            List<String> values = new ArrayList<>();
            if (entry.getValue().isArray()) {
                entry.getValue().forEach(value -> values.add(value.asString()));
            } else {
                entry.getValue().propertyNames().forEach(values::add);
            }
            filters.put(entry.getKey(), values);
        }
        return filters;
    }

    JsonNode body() {
        String text;
        try {
            text = Source.asString(request, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request: " + e.getMessage(), e);
        }

        // An absent body is an empty object: the CLI sends none for a start or an exec start.
        if (text == null || text.isBlank()) {
            return JSON.createObjectNode();
        }
        try {
            return JSON.readTree(text);
        } catch (RuntimeException e) {
            throw ApiException.badRequest(
                    "invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    InputStream bodyStream() {
        return Request.asInputStream(request);
    }

    void json(int status, Object value) {
        byte[] bytes = JSON.writeValueAsBytes(value);
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        send(bytes);
    }

    void text(int status, String text) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    void empty(int status) {
        response.setStatus(status);
        this.answered = true;
        response.write(true, null, callback);
    }

    private void send(byte[] bytes) {
        this.answered = true;
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        response.write(true, ByteBuffer.wrap(bytes), callback);
    }

    /**
     * Starts a streamed answer (logs, events, stats, pull progress, wait): the headers go out at
     * once, flushed, so that the client knows the request succeeded before the first byte of it,
     * and {@code close()} completes the callback.
     */
    OutputStream stream(int status, String contentType) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        this.answered = true;
        final OutputStream out = Sink.asOutputStream(response);

        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }

        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                out.flush();
            }

            @Override
            public void close() throws IOException {
                try {
                    out.close();
                    Exchange.this.callback.succeeded();
                } catch (IOException | RuntimeException e) {
                    Exchange.this.callback.failed(e);
                    throw e;
                }
            }
        };
    }

    boolean answered() {
        return answered;
    }

    /** The answer is someone else's to complete: a hijacked connection's. */
    void markAnswered() {
        this.answered = true;
    }
}
