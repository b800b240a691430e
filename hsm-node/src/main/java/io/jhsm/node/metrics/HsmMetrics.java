package io.jhsm.node.metrics;

import io.jhsm.engine.token.TokenCounts;
import io.jhsm.protocol.v1.Metric;
import io.jhsm.protocol.v1.MetricsResponse;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One HSM's CloudWatch metrics (namespace AWS/CloudHSM, dimensions ClusterId and HsmId) as Micrometer gauges
 * in a Prometheus registry: the scrape endpoint ({@link MetricsServer}) and Management/Metrics read the same
 * numbers. Values are read when asked, from the node's live counts.
 */
public final class HsmMetrics {
    /** CloudHSM's per-HSM user limit. */
    public static final int USERS_MAX = 1024;
    public static final List<String> NAMES = List.of("HsmUnhealthy", "HsmTemperature", "HsmKeysSessionOccupied",
            "HsmKeysTokenOccupied", "HsmSslCtxsOccupied", "HsmSessionCount", "HsmUsersAvailable", "HsmUsersMax",
            "InterfaceEth2OctetsInput", "InterfaceEth2OctetsOutput");
    /** Counting walks the token's objects: one walk serves a whole scrape. */
    private static final long COUNTS_FRESH_NANOS = 1_000_000_000L;

    /** Where the numbers come from. {@code counts}: token keys as committed, session keys of all applications, users. */
    public record Readings(BooleanSupplier unhealthy, LongSupplier connections, LongSupplier sessions, Supplier<TokenCounts> counts,
                           LongSupplier octetsInput, LongSupplier octetsOutput) {}

    private final String clusterId;
    private final String hsmId;
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, Gauge> gauges = new LinkedHashMap<>();
    private final Supplier<TokenCounts> counts;
    private final LongSupplier clockMillis;

    public HsmMetrics(String clusterId, String hsmId, Readings r, LongSupplier clockMillis) {
        this.clusterId = clusterId;
        this.hsmId = hsmId;
        this.clockMillis = clockMillis;
        this.counts = new Recent<>(r.counts(), COUNTS_FRESH_NANOS);
        Map<String, DoubleSupplier> values = new LinkedHashMap<>();
        values.put("HsmUnhealthy", () -> r.unhealthy().getAsBoolean() ? 1 : 0);
        values.put("HsmTemperature", () -> temperature(r.sessions().getAsLong()));
        values.put("HsmKeysSessionOccupied", () -> counts.get().sessionKeys());
        values.put("HsmKeysTokenOccupied", () -> counts.get().tokenKeys());
        values.put("HsmSslCtxsOccupied", r.connections()::getAsLong);
        values.put("HsmSessionCount", r.sessions()::getAsLong);
        values.put("HsmUsersAvailable", () -> Math.max(0, USERS_MAX - counts.get().users()));
        values.put("HsmUsersMax", () -> USERS_MAX);
        values.put("InterfaceEth2OctetsInput", r.octetsInput()::getAsLong);
        values.put("InterfaceEth2OctetsOutput", r.octetsOutput()::getAsLong);
        Tags tags = Tags.of("ClusterId", clusterId, "HsmId", hsmId);
        values.forEach((name, v) -> gauges.put(name, Gauge.builder(name, v, DoubleSupplier::getAsDouble).tags(tags)
                .strongReference(true).register(registry)));
    }

    /** A simulated temperature between 40 and 50 °C: a slow ten-minute swing plus a little for the load. */
    double temperature(long sessions) {
        double swing = 3 * Math.sin(2 * Math.PI * (clockMillis.getAsLong() % 600_000) / 600_000.0);
        return Math.round((44 + swing + 3 * Math.min(1.0, sessions / 2048.0)) * 10) / 10.0;
    }

    /** The Prometheus text exposition (GET /metrics). */
    public String scrape() {
        return registry.scrape();
    }

    /** The same numbers for Management/Metrics. */
    public MetricsResponse response() {
        MetricsResponse.Builder b = MetricsResponse.newBuilder().setClusterId(clusterId).setHsmId(hsmId);
        gauges.forEach((name, g) -> b.addMetrics(Metric.newBuilder().setName(name).setValue(g.value())));
        return b.build();
    }

    /** A value kept for a moment, so one scrape reads the key counts once. */
    private static final class Recent<T> implements Supplier<T> {
        private final Supplier<T> source;
        private final long keepNanos;
        private T value;
        private long takenAt;

        Recent(Supplier<T> source, long keepNanos) {
            this.source = source;
            this.keepNanos = keepNanos;
        }

        @Override
        public synchronized T get() {
            long now = System.nanoTime();
            if (value == null || now - takenAt > keepNanos) {
                value = source.get();
                takenAt = now;
            }
            return value;
        }
    }
}
