package dev.canal.daemon;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.AbstractConnection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.FutureCallback;

final class HijackedStream extends AbstractConnection {
    private final Consumer<HijackedStream> session;

    private HijackedStream(EndPoint endPoint, Executor executor, Consumer<HijackedStream> session) {
        super(endPoint, executor);
        this.session = session;
    }

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

    public void onOpen() {
        super.onOpen();
        this.getEndPoint().setIdleTimeout(0L);
        Thread.ofPlatform().daemon().name("canal-hijacked").start(() -> {
            try {
                this.session.accept(this);
            } finally {
                this.close();
            }
        });
    }

    public void onFillable() {}

    int read(byte[] into) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(into);
        BufferUtil.clear(buffer);

        while (true) {
            int count = this.getEndPoint().fill(buffer);
            if (count != 0) {
                if (count > 0) {
                    buffer.get(buffer.position(), into, 0, count);
                }

                return count;
            }

            FutureCallback readable = new FutureCallback();
            this.getEndPoint().fillInterested(readable);
            await(readable);
        }
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        FutureCallback written = new FutureCallback();
        this.getEndPoint().write(written, new ByteBuffer[] {ByteBuffer.wrap(bytes, offset, length)});
        await(written);
    }

    public void close() {
        this.getEndPoint().shutdownOutput();
        super.close();
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
