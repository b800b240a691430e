package io.jhsm.node.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.token.TokenCounts;
import io.jhsm.protocol.v1.Metric;
import io.jhsm.protocol.v1.MetricsResponse;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The HSM's metrics carry CloudWatch's AWS/CloudHSM names and dimensions, with the node's live numbers. */
class HsmMetricsTest {
    private final AtomicLong clock = new AtomicLong();

    private HsmMetrics metrics() {
        return new HsmMetrics("cluster-abc", "hsm-0000abcd", new HsmMetrics.Readings(() -> false, () -> 3, () -> 7,
                () -> new TokenCounts(5, 2, 4), () -> 1000, () -> 2000), clock::get);
    }

    @Test
    void metricsRpcAnswersEveryCloudWatchNameWithTheNodesNumbers() {
        MetricsResponse r = metrics().response();
        assertEquals("cluster-abc", r.getClusterId());
        assertEquals("hsm-0000abcd", r.getHsmId());
        Map<String, Double> v = new LinkedHashMap<>();
        for (Metric m : r.getMetricsList()) {
            v.put(m.getName(), m.getValue());
        }
        assertEquals(List.of("HsmUnhealthy", "HsmTemperature", "HsmKeysSessionOccupied", "HsmKeysTokenOccupied",
                "HsmSslCtxsOccupied", "HsmSessionCount", "HsmUsersAvailable", "HsmUsersMax", "InterfaceEth2OctetsInput",
                "InterfaceEth2OctetsOutput"), List.copyOf(v.keySet()));
        assertEquals(0.0, v.get("HsmUnhealthy"));
        assertEquals(2.0, v.get("HsmKeysSessionOccupied"));
        assertEquals(5.0, v.get("HsmKeysTokenOccupied"));
        assertEquals(3.0, v.get("HsmSslCtxsOccupied"));
        assertEquals(7.0, v.get("HsmSessionCount"));
        assertEquals(1020.0, v.get("HsmUsersAvailable"), "1024 users at most, 4 exist");
        assertEquals(1024.0, v.get("HsmUsersMax"));
        assertEquals(1000.0, v.get("InterfaceEth2OctetsInput"));
        assertEquals(2000.0, v.get("InterfaceEth2OctetsOutput"));
    }

    @Test
    void theSimulatedTemperatureStaysBetween40And50Degrees() {
        HsmMetrics m = metrics();
        for (long t = 0; t < 600_000; t += 7_000) {
            clock.set(t);
            for (long sessions : new long[] {0, 2048, 100_000}) {
                double c = m.temperature(sessions);
                assertTrue(c >= 40 && c <= 50, c + " °C at " + t + " ms, " + sessions + " sessions");
            }
        }
    }

    @Test
    void theScrapeEndpointServesEveryNameWithClusterIdAndHsmIdLabels() throws Exception {
        HsmMetrics m = metrics();
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, m::scrape)) {
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + server.address() + "/metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, r.statusCode());
            for (String name : HsmMetrics.NAMES) {
                assertTrue(r.body().lines().anyMatch(l -> l.startsWith(name + "{") && l.contains("ClusterId=\"cluster-abc\"")
                        && l.contains("HsmId=\"hsm-0000abcd\"")), name + " missing in:\n" + r.body());
            }
            HttpResponse<String> other = http.send(HttpRequest.newBuilder(URI.create("http://" + server.address() + "/")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(404, other.statusCode());
        }
    }
}
