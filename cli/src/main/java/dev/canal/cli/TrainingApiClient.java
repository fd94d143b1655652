package dev.canal.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The requests of canald's AOT training ({@link CanaldTraining}) on its unix socket, as the docker
 * CLI 28 sends them (its Host, User-Agent and /v1.50 prefix): one request per connection, which
 * the server closes after its response ({@code Connection: close}, RFC 9112 section 9.6), so a
 * body is everything read after the head until the end of the stream, still chunked if it was.
 * {@link #begin} returns once the response's head is in, as the CLI's wait and attach do before
 * the start: the server has then taken the request, and the body follows when the container ends.
 */
final class TrainingApiClient {

    /** A response whose head has been read: its status, and its body still to come. */
    static final class Pending implements AutoCloseable {
        private final SocketChannel channel;
        private final InputStream in;
        private final int status;

        private Pending(SocketChannel channel, InputStream in, int status) {
            this.channel = channel;
            this.in = in;
            this.status = status;
        }

        int status() {
            return status;
        }

        /** The rest of the response, read to the end of the stream. */
        String body() throws IOException {
            try (this) {
                return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
            }
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    private static final String API = "/v1.50";
    private static final String CLIENT = "Host: api.moby.localhost\r\nUser-Agent: Docker-Client/28.2.2 (linux)\r\n";

    private final Path socket;

    TrainingApiClient(Path socket) {
        this.socket = socket;
    }

    /** METHOD PATH with {@code body} ({@code contentType} null for none), its head read. */
    Pending begin(String method, String path, String contentType, byte[] body) throws IOException {
        return send(
                method + " " + API + path + " HTTP/1.1\r\n" + CLIENT
                        + (contentType == null ? "" : "Content-Type: " + contentType + "\r\n")
                        + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n",
                body);
    }

    /** POST /containers/{id}/attach with the upgrade docker asks for: the 101, then the output. */
    Pending attach(String id) throws IOException {
        return send(
                "POST " + API + "/containers/" + id + "/attach?stderr=1&stdout=1&stream=1 HTTP/1.1\r\n" + CLIENT
                        + "Content-Length: 0\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n",
                new byte[0]);
    }

    private Pending send(String head, byte[] body) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
            var out = Channels.newOutputStream(channel);
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            InputStream in = Channels.newInputStream(channel);
            String responseHead = readHead(in);
            if (!responseHead.startsWith("HTTP/1.1 ") || responseHead.length() < 12) {
                throw new IOException("not an HTTP response from " + socket + ": " + responseHead);
            }
            return new Pending(channel, in, Integer.parseInt(responseHead.substring(9, 12)));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** Up to the blank line that ends the head, a byte at a time so that none of the body is taken. */
    private static String readHead(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }
}
