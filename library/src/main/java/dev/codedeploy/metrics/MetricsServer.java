package dev.codedeploy.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.codedeploy.lifecycle.AbstractService;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the process's Micrometer metrics for Prometheus at {@code http://host:port/metrics} (and {@code /health}),
 * with the JDK's HTTP server: the server and the agent both expose one.
 */
public final class MetricsServer extends AbstractService {

    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final String host;
    private final int requestedPort;
    private HttpServer server;
    private JvmGcMetrics gc;

    /** A server on {@code host:port} (port 0: any free port). */
    public MetricsServer(String host, int port) {
        this.host = host;
        this.requestedPort = port;
    }

    /** The registry components record into. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** The port it listens on, once started. */
    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    protected void doStart() {
        new JvmMemoryMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        gc = new JvmGcMetrics();
        gc.bindTo(registry);
        try {
            server = HttpServer.create(new InetSocketAddress(host, requestedPort), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + requestedPort + ": " + e.getMessage(), e);
        }
        server.createContext("/metrics", exchange -> respond(exchange, registry.scrape(), "text/plain; version=0.0.4; charset=utf-8"));
        server.createContext("/health", exchange -> respond(exchange, "ok\n", "text/plain"));
        server.setExecutor(Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http");
            t.setDaemon(true);
            return t;
        }));
        server.start();
        log.info("metrics at http://{}:{}/metrics", host, port());
    }

    private static void respond(HttpExchange exchange, String body, String type) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(200, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    protected void doClose() {
        if (server != null) {
            server.stop(0);
        }
        if (gc != null) {
            gc.close();
        }
        registry.close();
    }
}
