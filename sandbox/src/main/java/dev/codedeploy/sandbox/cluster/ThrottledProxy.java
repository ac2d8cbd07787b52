package dev.codedeploy.sandbox.cluster;

import com.google.common.util.concurrent.RateLimiter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on loopback that forwards to one endpoint and limits the bytes sent towards it to a rate shared by all
 * its connections: the link to a far region, for benchmarks where the network, not the CPU, should be the bound.
 */
public final class ThrottledProxy implements AutoCloseable {

    private static final int CHUNK = 64 * 1024;

    private final ServerSocket server;
    private final InetSocketAddress target;
    private final RateLimiter upstream;
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    private ThrottledProxy(InetSocketAddress target, long bytesPerSecond) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.target = target;
        this.upstream = RateLimiter.create(bytesPerSecond);
        this.acceptor = new Thread(this::accept, "throttled-proxy-" + server.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** A proxy to {@code endpoint} (http://host:port) that sends at most {@code bytesPerSecond} towards it. */
    public static ThrottledProxy start(URI endpoint, long bytesPerSecond) {
        try {
            return new ThrottledProxy(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), bytesPerSecond);
        } catch (IOException e) {
            throw new IllegalStateException("cannot open a proxy to " + endpoint + ": " + e.getMessage(), e);
        }
    }

    /** The proxy's endpoint. */
    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket backend = new Socket();
                try {
                    backend.connect(target, 5000);
                } catch (IOException e) {
                    client.close();
                    backend.close();
                    continue;
                }
                sockets.add(client);
                sockets.add(backend);
                pump(client, backend, upstream);
                pump(backend, client, null);
            } catch (IOException e) {
                // closed, or one connection failed: go on accepting
            }
        }
    }

    private void pump(Socket from, Socket to, RateLimiter limit) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[CHUNK];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    if (limit != null) {
                        limit.acquire(n);
                    }
                    out.write(buffer, 0, n);
                }
            } catch (IOException e) {
                // the other side went away
            } finally {
                closeQuietly(from);
                closeQuietly(to);
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "throttled-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // already closed
        }
        sockets.forEach(ThrottledProxy::closeQuietly);
    }
}
