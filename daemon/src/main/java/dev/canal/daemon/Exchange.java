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
        return this.pathParameters.get(index);
    }

    String query(String name) {
        return this.query.getValue(name);
    }

    List<String> queries(String name) {
        List<String> values = this.query.getValues(name);
        return values == null ? List.of() : values;
    }

    boolean flag(String name, boolean otherwise) {
        String value = this.query.getValue(name);
        return value != null && !value.isEmpty() ? value.equals("1") || value.equalsIgnoreCase("true") : otherwise;
    }

    Integer integer(String name) {
        String value = this.query.getValue(name);
        if (value != null && !value.isEmpty()) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("invalid value for " + name + ": " + value);
            }
        } else {
            return null;
        }
    }

    Map<String, List<String>> filters() {
        String text = this.query.getValue("filters");
        LinkedHashMap<String, List<String>> filters = new LinkedHashMap<>();
        if (text != null && !text.isEmpty()) {
            JsonNode node;
            try {
                node = JSON.readTree(text);
            } catch (RuntimeException e) {
                throw ApiException.badRequest("invalid filter: " + text);
            }

            for (Entry<String, JsonNode> entry : node.properties()) {
                ArrayList<String> values = new ArrayList<>();
                if (entry.getValue().isArray()) {
                    entry.getValue().forEach(value -> values.add(value.asString()));
                } else {
                    entry.getValue().propertyNames().forEach(values::add);
                }

                filters.put(entry.getKey(), values);
            }

            return filters;
        } else {
            return filters;
        }
    }

    JsonNode body() {
        String text;
        try {
            text = Source.asString(this.request, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the request: " + e.getMessage(), e);
        }

        if (text != null && !text.isBlank()) {
            try {
                return JSON.readTree(text);
            } catch (RuntimeException e) {
                throw ApiException.badRequest(
                        "invalid JSON: " + e.getMessage().lines().findFirst().orElse(""));
            }
        } else {
            return JSON.createObjectNode();
        }
    }

    InputStream bodyStream() {
        return Request.asInputStream(this.request);
    }

    void json(int status, Object value) {
        byte[] bytes = JSON.writeValueAsBytes(value);
        this.response.setStatus(status);
        this.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        this.send(bytes);
    }

    void text(int status, String text) {
        this.response.setStatus(status);
        this.response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
        this.send(text.getBytes(StandardCharsets.UTF_8));
    }

    void empty(int status) {
        this.response.setStatus(status);
        this.answered = true;
        this.response.write(true, null, this.callback);
    }

    private void send(byte[] bytes) {
        this.answered = true;
        this.response.getHeaders().put(HttpHeader.CONTENT_LENGTH, bytes.length);
        this.response.write(true, ByteBuffer.wrap(bytes), this.callback);
    }

    OutputStream stream(int status, String contentType) {
        this.response.setStatus(status);
        this.response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        this.answered = true;
        final OutputStream out = Sink.asOutputStream(this.response);

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
        return this.answered;
    }

    void markAnswered() {
        this.answered = true;
    }
}
