package io.jhsm.cli;

import io.jhsm.client.ClientConfig;
import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.node.CryptokiEndpoint;
import io.jhsm.node.Faults;
import io.jhsm.node.HsmNode;
import io.jhsm.node.ManagementEndpoint;
import io.jhsm.node.metrics.HsmMetrics;
import io.jhsm.node.metrics.MetricsServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import sun.misc.Signal;

/**
 * {@code jhsm hsm serve}: one HSM in the foreground, for systemd units and containers. Logs to stderr;
 * SIGTERM (or SIGINT) stops it gracefully (no new connections, in-flight calls finish, applications are
 * finalized) and it exits 0. Every committed write is already durable in the token store.
 */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Serve the HSM of DIR on the network (TLS 1.3, port 2223 by default) in the foreground until SIGTERM."
                + " DIR without a cluster gets one (its CSR is written to DIR); the bootstrap certificate is DIR/hsm-bootstrap.crt.")
final class HsmServeCommand extends Ctx.Aware implements Callable<Integer> {
    /** CloudHSM's HsmSessionCount maximum. */
    static final int MAX_SESSIONS = 2048;

    @Option(names = "--dir", required = true, description = "The node's directory (slot 0 below it is the cluster).")
    Path dir;

    @Option(names = "--listen", defaultValue = "127.0.0.1:" + HsmNode.DEFAULT_PORT, paramLabel = "HOST:PORT",
            description = "Address to listen on (default ${DEFAULT-VALUE}).")
    String listen;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT", defaultValue = "",
            description = "Serve this HSM's CloudWatch metrics in Prometheus text at http://HOST:PORT/metrics (port 0 or none: off).")
    String metricsListen;

    @Override
    public Integer call() throws Exception {
        ClientConfig.HostAndPort at;
        try {
            at = ClientConfig.HostAndPort.parseListen(listen);
        } catch (IllegalArgumentException e) {
            throw new HsmException(HsmException.Code.BAD_INPUT,
                    "--listen: " + e.getMessage());
        }
        HsmNode node = HsmNode.prepare(new HsmNode.Settings(dir, at.host(), at.port()).withLog(ctx().err()));
        String hsmId = node.describe(0, 0).getHsmId();
        Faults faults = Faults.forNode(hsmId, null);
        CryptokiEndpoint cryptoki = new CryptokiEndpoint(node.config(), MAX_SESSIONS, node::clusterInitialized, faults);
        HsmMetrics metrics = new HsmMetrics(node.clusterId(), hsmId, new HsmMetrics.Readings(
                () -> faults.state().getStopped() || faults.state().getPartitioned(), cryptoki::applications, cryptoki::sessions,
                cryptoki::counts, node.octets()::input, node.octets()::output), System::currentTimeMillis);
        MetricsServer scrape = startMetrics(metrics);
        ManagementEndpoint management = new ManagementEndpoint(node.config(), Main::run,
                () -> node.describe(cryptoki.applications(), cryptoki.sessions()).toBuilder().setFault(faults.state())
                        .setMetricsAddress(scrape == null ? "" : scrape.address()).build(),
                faults, metrics::response);
        try {
            node.start(List.of(cryptoki, management));
        } catch (IOException e) {
            if (scrape != null) {
                scrape.close();
            }
            throw new HsmException(HsmException.Code.BAD_INPUT,
                    e.getMessage() + " (choose another --listen)");
        }
        Thread hook = new Thread(node::stop, "jhsm-hsm-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        for (String sig : List.of("TERM", "INT")) {
            Signal.handle(new Signal(sig), s -> {
                ctx().err().println("jhsm hsm: SIG" + sig + ": stopping (in-flight calls finish first)");
                new Thread(node::stop, "jhsm-hsm-stop").start();
            });
        }
        ctx().err().println("jhsm hsm: serving " + dir + " on " + node.listen() + " (cluster " + node.clusterId()
                + ", state " + node.clusterState() + ")");
        node.awaitStopped();
        if (scrape != null) {
            scrape.close();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down
        }
        ctx().err().println("jhsm hsm: stopped");
        return 0;
    }

    /** The Prometheus endpoint when --metrics-listen names a port; null when off. */
    private MetricsServer startMetrics(HsmMetrics metrics) {
        if (metricsListen.isEmpty()) {
            return null;
        }
        ClientConfig.HostAndPort at;
        try {
            at = ClientConfig.HostAndPort.parseListen(metricsListen);
        } catch (IllegalArgumentException e) {
            throw new HsmException(HsmException.Code.BAD_INPUT, "--metrics-listen: " + e.getMessage());
        }
        if (at.port() == 0) {
            return null;
        }
        try {
            MetricsServer s = MetricsServer.start(at.host(), at.port(), metrics::scrape);
            ctx().err().println("jhsm hsm: metrics at http://" + s.address() + "/metrics");
            return s;
        } catch (IOException e) {
            throw new HsmException(HsmException.Code.BAD_INPUT, "--metrics-listen: cannot listen on " + metricsListen + ": " + e.getMessage());
        }
    }
}
