package io.jhsm.cli;

import io.jhsm.client.ClientConfig;
import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.node.CryptokiEndpoint;
import io.jhsm.node.Faults;
import io.jhsm.node.HsmNode;
import io.jhsm.node.LogPosition;
import io.jhsm.node.ManagementEndpoint;
import io.jhsm.node.Membership;
import io.jhsm.node.PeerLink;
import io.jhsm.node.metrics.HsmMetrics;
import io.jhsm.node.metrics.MetricsServer;
import io.jhsm.node.raft.Peer;
import io.jhsm.node.raft.RaftPeerNode;
import io.jhsm.node.raft.RaftSettings;
import io.jhsm.node.raft.TokenReplication;
import io.jhsm.protocol.v1.NodeDescription;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;
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

    @Option(names = "--hsm-id", paramLabel = "ID",
            description = "This HSM's id in its cluster (hsm- and 8 hex digits; required with --peers or --join).")
    String hsmId;

    @Option(names = "--az", defaultValue = "az-a", paramLabel = "AZ", description = "Availability-zone label (default ${DEFAULT-VALUE}).")
    String az;

    @Option(names = "--raft-listen", paramLabel = "HOST:PORT",
            description = "Address of this HSM's Raft endpoint (inter-HSM, mutual TLS; required with --peers or --join).")
    String raftListen;

    @Option(names = "--peers", paramLabel = "ID=RAFTHOST:PORT=CLIENTHOST:PORT,...",
            description = "The cluster's HSMs, this one included: the node is a Raft peer of that group. Without --peers"
                    + " (or --join) the node is standalone.")
    String peers;

    @Option(names = "--join", description = "Start as a new HSM of an existing cluster with empty state and wait for the"
            + " leader to add it (ChangeMembership); it then receives the token by snapshot.")
    boolean join;

    @Option(names = "--commit-timeout", defaultValue = "5", paramLabel = "SECONDS",
            description = "How long a write waits for the cluster to commit it (default ${DEFAULT-VALUE} s).")
    int commitTimeoutSeconds;

    @Option(names = "--metrics-listen", paramLabel = "HOST:PORT",
            description = "Serve this HSM's CloudWatch metrics in Prometheus text at http://HOST:PORT/metrics (port 0 or absent: off).")
    String metricsListen;

    @Override
    public Integer call() throws Exception {
        ClientConfig.HostAndPort at = hostAndPort("--listen", listen);
        RaftSettings raft = raftSettings(at);
        HsmNode.Settings settings = new HsmNode.Settings(dir, at.host(), at.port()).withLog(ctx().err());
        HsmNode node = raft == null ? HsmNode.prepare(settings) : HsmNode.prepareMember(settings);
        String hsmId = raft != null ? raft.hsmId() : node.describe(0, 0).getHsmId();
        RaftLink link = raft == null ? null : new RaftLink();
        Faults faults = Faults.forNode(hsmId, link);
        // the key availability check counts the HSMs in the Raft configuration; a standalone node is a cluster of one
        CryptokiEndpoint cryptoki = new CryptokiEndpoint(node.config(), MAX_SESSIONS, node::clusterInitialized, faults,
                () -> link == null || link.raft == null ? 1 : link.raft.clusterSize(),
                () -> link == null || link.raft == null ? LogPosition.STANDALONE : link.raft.logPosition());
        HsmMetrics metrics = new HsmMetrics(node.clusterId(), hsmId, new HsmMetrics.Readings(
                () -> faults.state().getStopped() || faults.state().getPartitioned(), cryptoki::applications, cryptoki::sessions,
                cryptoki::counts, node.octets()::input, node.octets()::output), System::currentTimeMillis);
        MetricsServer scrape = startMetrics(metrics);
        Supplier<NodeDescription> own = () -> node.describe(cryptoki.applications(), cryptoki.sessions()).toBuilder()
                .setFault(faults.state()).setMetricsAddress(scrape == null ? "" : scrape.address()).build();
        TokenReplication replication = null;
        ManagementEndpoint management;
        try {
            if (raft == null) {
                management = new ManagementEndpoint(node.config(), Main::run, own, Membership.STANDALONE, faults, metrics::response);
            } else {
                try {
                    replication = TokenReplication.start(node, raft, own, ctx().err());
                } catch (IllegalArgumentException | IllegalStateException | IOException e) {
                    throw new HsmException(HsmException.Code.BAD_INPUT, "cannot start the Raft peer: " + e.getMessage());
                }
                link.raft = replication.raft();
                management = new ManagementEndpoint(node.config(), Main::run, replication::describe, replication.membership(),
                        faults, metrics::response);
            }
            node.start(List.of(cryptoki, management));
        } catch (IOException | RuntimeException e) {
            if (replication != null) {
                replication.close();
            }
            if (scrape != null) {
                scrape.close();
            }
            if (e instanceof IOException) {
                throw new HsmException(HsmException.Code.BAD_INPUT, e.getMessage() + " (choose another --listen)");
            }
            throw e;
        }
        Runnable closePeer = once(replication);
        Runnable stop = () -> {
            node.stop();
            closePeer.run();
        };
        Thread hook = new Thread(stop, "jhsm-hsm-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        for (String sig : List.of("TERM", "INT")) {
            Signal.handle(new Signal(sig), s -> {
                ctx().err().println("jhsm hsm: SIG" + sig + ": stopping (in-flight calls finish first)");
                new Thread(stop, "jhsm-hsm-stop").start();
            });
        }
        ctx().err().println("jhsm hsm: serving " + dir + " on " + node.listen() + " (cluster " + node.clusterId()
                + ", state " + node.clusterState() + ")");
        node.awaitStopped();
        closePeer.run();
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

    private static ClientConfig.HostAndPort hostAndPort(String option, String text) {
        try {
            return ClientConfig.HostAndPort.parseListen(text);
        } catch (IllegalArgumentException e) {
            throw new HsmException(HsmException.Code.BAD_INPUT, option + ": " + e.getMessage());
        }
    }

    /** The Raft side from --peers / --join (null for a standalone node), checked before anything starts. */
    private RaftSettings raftSettings(ClientConfig.HostAndPort client) {
        if (peers == null && !join) {
            if (raftListen != null) {
                throw new HsmException(HsmException.Code.BAD_INPUT, "--raft-listen needs --peers or --join (a standalone HSM has no Raft endpoint)");
            }
            return null;
        }
        if (peers != null && join) {
            throw new HsmException(HsmException.Code.BAD_INPUT, "--join starts with no peers (the leader adds this HSM): give --peers or --join, not both");
        }
        if (hsmId == null || raftListen == null) {
            throw new HsmException(HsmException.Code.BAD_INPUT, "a cluster member needs --hsm-id and --raft-listen");
        }
        ClientConfig.HostAndPort r = hostAndPort("--raft-listen", raftListen);
        if (commitTimeoutSeconds < 1) {
            throw new HsmException(HsmException.Code.BAD_INPUT, "--commit-timeout: at least 1 second");
        }
        try {
            RaftSettings s = join ? RaftSettings.joining(hsmId, az, r.host(), r.port())
                    : RaftSettings.member(hsmId, az, r.host(), r.port(), Peer.parseList(peers));
            if (!join) {
                Peer self = s.peers().stream().filter(p -> p.hsmId().equals(hsmId)).findFirst().orElseThrow();
                if (!self.raftAddress().equals(r.host() + ":" + r.port())) {
                    throw new IllegalArgumentException("--peers gives " + hsmId + " the Raft address " + self.raftAddress()
                            + " but --raft-listen is " + raftListen);
                }
            }
            return s.withCommitTimeout(Duration.ofSeconds(commitTimeoutSeconds));
        } catch (IllegalArgumentException e) {
            throw new HsmException(HsmException.Code.BAD_INPUT, "--peers: " + e.getMessage());
        }
    }

    /**
     * Closes the Raft side once, whichever of the signal's stop thread and the main thread gets there first; the other
     * waits until it is closed (closing the token's database twice fails, and exiting mid-close would cut it short).
     */
    private static Runnable once(TokenReplication replication) {
        boolean[] closed = {replication == null};
        return () -> {
            synchronized (closed) {
                if (!closed[0]) {
                    closed[0] = true;
                    replication.close();
                }
            }
        };
    }

    /** The Prometheus endpoint when --metrics-listen names a port; null when off. */
    private MetricsServer startMetrics(HsmMetrics metrics) {
        if (metricsListen == null) {
            return null;
        }
        ClientConfig.HostAndPort at = hostAndPort("--metrics-listen", metricsListen);
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

    /** The partition fault's hook on this HSM's Raft server, set once the server runs (before any call can reach it). */
    private static final class RaftLink implements PeerLink {
        volatile RaftPeerNode raft;

        @Override
        public void cut() {
            raft.partition();
        }

        @Override
        public void heal() {
            try {
                raft.heal();
            } catch (IOException e) {
                throw new IllegalStateException("cannot restart the Raft server to heal the partition: " + e.getMessage(), e);
            }
        }
    }
}
