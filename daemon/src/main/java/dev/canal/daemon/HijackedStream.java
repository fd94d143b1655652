package dev.canal.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.FutureCallback;

/**
 * A connection taken over from HTTP for attach and exec start, which need both directions at
 * once: the client's stdin in, the container's output out (Hijacking, https://docs.docker.com/reference/api/engine/version/v1.50/#tag/Container/operation/ContainerAttach).
 * The client asks with {@code Connection: Upgrade} and {@code Upgrade: tcp}; the daemon answers
 * {@code 101 UPGRADED} with the same headers, and from the blank line after them the socket
 * carries raw bytes: the stream of {@link FramedOutput} one way, stdin the other. The client
 * half-closes its side when its stdin ends.
 *
 * <p>Jetty 12 does this with a request attribute: a {@link org.eclipse.jetty.io.Connection} set as
 * {@link HttpStream#UPGRADE_CONNECTION_ATTRIBUTE} replaces the HTTP connection on the endpoint once
 * the 101 is written. This one runs the session on a platform thread of its own (the engine's
 * calls block), reading and writing the endpoint with blocking waits on Jetty's callbacks.
 */
final class HijackedStream extends AbstractConnection {
    private static final long LINGER_MILLIS = 5000;

    private final Consumer<HijackedStream> session;
    private final AtomicBoolean inputClaimed = new AtomicBoolean();

    private HijackedStream(EndPoint endPoint, Executor executor, Consumer<HijackedStream> session) {
        super(endPoint, executor);
        this.session = session;
    }

    /**
     * Answers 101 and hands the connection to {@code session} once the answer is written. The
     * content type says which stream follows: multiplexed frames without a terminal, raw with one.
     */
    static void upgrade(Exchange exchange, boolean multiplexed, Consumer<HijackedStream> session) {
        Request request = exchange.request;
        Response response = exchange.response;
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
        HijackedStream connection =
                new HijackedStream(endPoint, request.getComponents().getExecutor(), session);
        response.setStatus(101);
        response.getHeaders()
                .put(
                        HttpHeader.CONTENT_TYPE,
                        multiplexed
                                ? "application/vnd.docker.multiplexed-stream"
                                : "application/vnd.docker.raw-stream");
        response.getHeaders().put(HttpHeader.CONNECTION, "Upgrade");
        response.getHeaders().put(HttpHeader.UPGRADE, "tcp");
        request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, connection);
        exchange.markAnswered();
        response.write(true, null, exchange.callback);
    }

    @Override
    public void onOpen() {
        super.onOpen();
        getEndPoint().setIdleTimeout(0L);
        Thread.ofPlatform().daemon().name("canal-hijacked").start(() -> {
            try {
                session.accept(this);
            } finally {
                close();
            }
        });
    }

    /** Nothing to do when input arrives: the session's reader asks for it with {@link #read}. */
    @Override
    public void onFillable() {}

    /**
     * Starts {@code reader}, the one thread that reads the client's input (its stdin) with
     * {@link #read}, before the stream can end: {@link #close} must not read beside it.
     */
    void startReading(String threadName, Runnable reader) {
        inputClaimed.set(true);
        Thread.ofPlatform().daemon().name(threadName).start(reader);
    }

    /** Blocks until the client sends bytes; -1 when it has closed or half-closed its side. */
    int read(byte[] into) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into);
        BufferUtil.clear(buffer);

        while (true) {
            int count = getEndPoint().fill(buffer);
            if (count != 0) {
                if (count > 0) {
                    buffer.get(buffer.position(), into, 0, count);
                }

                return count;
            }

            FutureCallback readable = new FutureCallback();
            getEndPoint().fillInterested(readable);
            await(readable);
        }
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        FutureCallback written = new FutureCallback();
        getEndPoint().write(written, new ByteBuffer[] {ByteBuffer.wrap(bytes, offset, length)});
        await(written);
    }

    @Override
    public void close() {
        getEndPoint().shutdownOutput();
        // Closing a unix socket with bytes of the client still unread makes the kernel fail the
        // client's next read with ECONNRESET, before it reads the end of stream (unix(7) follows
        // TCP's RST here): the CLI printed "connection reset by peer" when the ^D of a terminal
        // crossed the end of an exec. So the stream ends with our EOF, and the socket closes
        // once the client has read it and closed its side, or after LINGER_MILLIS.
        getEndPoint().setIdleTimeout(LINGER_MILLIS);
        if (!inputClaimed.getAndSet(true)) {
            byte[] discarded = new byte[4096];
            try {
                while (read(discarded) >= 0) {
                    // what the client sends after the end is nobody's input
                }
            } catch (IOException closedMeanwhile) {
                // the idle timeout closed it, or the client reset it: closed either way
            }
            super.close();
        }
        // else the thread that reads the client's input sees its EOF, and Jetty closes a socket
        // whose both directions are shut; the idle timeout bounds that wait too.
    }

    private static void await(FutureCallback callback) throws IOException {
        try {
            callback.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        }
    }
}
