package io.jhsm.node.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * The Prometheus scrape endpoint of one HSM: {@code GET /metrics} on {@code --metrics-listen} (loopback in
 * {@code cluster up}), one thread, plain HTTP as Prometheus scrapes. Anything else is 404/405.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "jhsm-node-metrics");
        t.setDaemon(true);
        return t;
    });

    private MetricsServer(HttpServer server) {
        this.server = server;
    }

    public static MetricsServer start(String host, int port, Supplier<String> scrape) throws IOException {
        HttpServer s = HttpServer.create(new InetSocketAddress(host, port), 16);
        MetricsServer m = new MetricsServer(s);
        s.createContext("/", exchange -> m.answer(exchange, scrape));
        s.setExecutor(m.thread);
        s.start();
        return m;
    }

    private void answer(HttpExchange exchange, Supplier<String> scrape) throws IOException {
        try (exchange) {
            if (!exchange.getRequestURI().getPath().equals("/metrics")) {
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            if (!exchange.getRequestMethod().equals("GET")) {
                exchange.sendResponseHeaders(405, -1);
                return;
            }
            byte[] body = scrape.get().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream o = exchange.getResponseBody()) {
                o.write(body);
            }
        }
    }

    /** HOST:PORT it listens on (the real port when started on 0). */
    public String address() {
        InetSocketAddress a = server.getAddress();
        return a.getHostString() + ":" + a.getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        thread.shutdownNow();
    }
}
