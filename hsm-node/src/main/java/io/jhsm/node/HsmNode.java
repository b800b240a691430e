package io.jhsm.node;

import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallExecutorSupplier;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServerTransportFilter;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.protobuf.services.HealthStatusManager;
import io.jhsm.node.metrics.OctetCounter;
import io.jhsm.protocol.v1.ManagementGrpc;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.Cluster;
import io.jhsm.engine.cloudhsm.HsmException;
import io.jhsm.engine.config.Config;
import io.jhsm.protocol.v1.NodeDescription;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One HSM on the network: serves slot 0 of its directory (the cluster) over gRPC with TLS 1.3, the
 * cluster's HSM identity as its TLS identity, mutual TLS as the cluster's enforcement says, CloudHSM's
 * limit of 2,048 connections, a bounded message size, keep-alive, a handshake timeout and the standard
 * gRPC health service. The endpoints (Cryptoki, Management …) are given to {@link #start}. {@link #stop}
 * is graceful: no new connections or calls, in-flight calls finish (bounded), then the endpoints close
 * (their applications are C_Finalize'd). A directory without a cluster gets one at start, as AWS creates
 * a cluster before its owner initializes it, so the HSM has its identity key and CSR from the first start.
 */
public final class HsmNode implements AutoCloseable {
    public static final int DEFAULT_PORT = 2223;
    public static final int MAX_CONNECTIONS = 2048;
    /** 16 MiB of data plus room for the call around it (the client accepts the same). */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 64 * 1024;
    /** Concurrent calls on one connection (HTTP/2 streams): an application with more threads than this waits for a slot. */
    static final int MAX_CALLS_PER_CONNECTION = 256;
    /** Management commands at once (ManagementEndpoint runs 4 and queues the rest): room for Describe beside them. */
    static final int MANAGEMENT_THREADS = 8;
    /** Clients ping at most this often (HsmChannels pings after 60 s of silence). */
    static final Duration PERMIT_KEEPALIVE = Duration.ofSeconds(20);
    static final Duration KEEPALIVE = Duration.ofMinutes(2);
    static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(20);
    /** In-flight calls get this long after SIGTERM (then 5 s more once cancelled): inside cluster down's 30 s before SIGKILL. */
    static final Duration STOP_GRACE = Duration.ofSeconds(20);

    /** Where and how the node listens; tests shrink the limits. */
    public record Settings(Path directory, String host, int port, int maxConnections, Duration handshakeTimeout,
                           Duration stopGrace, PrintStream log) {
        public Settings(Path directory, String host, int port) {
            this(directory, host, port, MAX_CONNECTIONS, Duration.ofSeconds(10), STOP_GRACE, System.err);
        }

        public Settings withMaxConnections(int max) {
            return new Settings(directory, host, port, max, handshakeTimeout, stopGrace, log);
        }

        public Settings withLog(PrintStream out) {
            return new Settings(directory, host, port, maxConnections, handshakeTimeout, stopGrace, out);
        }
    }

    private final Settings settings;
    private final Config config;
    private final NodeLog log;
    private final ClusterView cluster;
    private final NodeIdentity identity;
    private final ConnectionLimit limit;
    /** Bytes in and out on the client port (the metrics' InterfaceEth2Octets*). */
    private final OctetCounter octets = new OctetCounter();
    private final HealthStatusManager health = new HealthStatusManager();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final List<NodeEndpoint> endpoints = new ArrayList<>();
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    /** Management commands (backups, key generation through the CLI …) block: they never run on an event loop. */
    private ExecutorService managementCalls;
    private Server server;
    private volatile int boundPort;

    private HsmNode(Settings settings) {
        this.settings = settings;
        this.config = new Config(settings.directory(), 1);
        this.log = new NodeLog(settings.log());
        this.cluster = new ClusterView(config.tokenDirectory(0));
        this.identity = new NodeIdentity(settings.directory(), cluster);
        this.limit = new ConnectionLimit(settings.maxConnections(), log);
        this.boundPort = settings.port();
    }

    /** The node over its directory, with a cluster (created now if the directory has none) and its identity; not yet listening. */
    public static HsmNode prepare(Settings settings) {
        HsmNode node = new HsmNode(settings);
        node.ensureCluster();
        node.identity.current(); // fails here, not at the first handshake, when the key is missing or damaged
        return node;
    }

    /**
     * The node of an HSM in a cluster of several: its directory was provisioned (cluster key, identity key,
     * peer certificate) by cluster up or the supervisor, and it never creates a cluster of its own — its
     * token and cluster state come from the others (by Raft log or snapshot).
     */
    public static HsmNode prepareMember(Settings settings) {
        HsmNode node = new HsmNode(settings);
        Path key = node.config.tokenDirectory(0).resolve(Cluster.HSM_KEY);
        if (!Files.exists(key)) {
            throw new HsmException(HsmException.Code.BAD_INPUT, key + " is missing: a cluster member's directory is"
                    + " provisioned by jhsm cluster up (or its supervisor) before it starts; it never creates a cluster", 0, null);
        }
        if (node.cluster.hsmPublicKey() != null) { // a joining HSM gets its cluster state with the snapshot
            node.identity.current();
        }
        return node;
    }

    private void ensureCluster() {
        Path slot = config.tokenDirectory(0);
        if (Files.exists(slot.resolve(Cluster.HSM_KEY))) {
            return;
        }
        try (CloudHsm hsm = CloudHsm.open(slot)) {
            Path csr = hsm.cluster().create(settings.directory());
            log.line("created cluster " + hsm.cluster().id() + " in " + slot + "; its CSR is " + csr
                    + " (sign it with your CA, then jhsm cluster initialize)");
        } catch (HsmException e) {
            throw new HsmException(e.code(), slot + " holds a token that is not a CloudHSM cluster (" + e.getMessage()
                    + "): serve a directory made by jhsm cluster create or an empty one", 0, e);
        }
    }

    /** The configuration the node serves: its directory, one slot (slot 0 is the cluster). */
    public Config config() {
        return config;
    }

    public Path bootstrapCertificate() {
        return identity.bootstrapFile();
    }

    /** Whether the cluster has its customer-signed certificate (Cryptoki answers only then). */
    public boolean clusterInitialized() {
        return cluster.initialized();
    }

    public String clusterId() {
        return cluster.clusterId();
    }

    public String clusterState() {
        return cluster.state();
    }

    public OctetCounter octets() {
        return octets;
    }

    /** Open connections. */
    public int connections() {
        return limit.open();
    }

    /** The address the node listens on (the real port once started from port 0). */
    public String listen() {
        return settings.host() + ":" + port();
    }

    public int port() {
        return boundPort;
    }

    /** What {@code cluster status} shows for this HSM, with the Cryptoki endpoint's counts. */
    public NodeDescription describe(long applications, long sessions) {
        String v = HsmNode.class.getPackage().getImplementationVersion();
        return NodeDescription.newBuilder()
                .setHsmId(hsmId())
                .setClusterId(clusterId())
                .setState(clusterState())
                .setVersion(v != null ? v : "dev")
                .setApplications(applications)
                .setSessions(sessions)
                .setListen(listen())
                .build();
    }

    /** A stable id for this HSM: derived from its identity key, as CloudHSM's hsm-… ids are per device. */
    private String hsmId() {
        String spki = cluster.hsmPublicKey();
        if (spki == null) {
            return "";
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(spki));
            return "hsm-" + HexFormat.of().formatHex(d, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Starts listening with these endpoints installed; the health service says SERVING once it listens. */
    public synchronized HsmNode start(List<? extends NodeEndpoint> installed) throws IOException {
        if (server != null) {
            throw new IllegalStateException("the node is already started");
        }
        endpoints.addAll(installed);
        boss = new NioEventLoopGroup(1);
        workers = new NioEventLoopGroup();
        managementCalls = Executors.newFixedThreadPool(MANAGEMENT_THREADS, r -> {
            Thread t = new Thread(r, "jhsm-node-management");
            t.setDaemon(true);
            return t;
        });
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress(settings.host(), settings.port()))
                .channelFactory(() -> limit.newServerChannel(octets))
                .bossEventLoopGroup(boss)
                .workerEventLoopGroup(workers)
                // Calls run on the connection's event loop unless their service says otherwise: a thread hand-off
                // per call was a quarter of the round trip (docs/performance/network.md). The Cryptoki service
                // moves its blocking calls to workers itself (CallPlacement); management commands go to a small pool.
                .directExecutor()
                .callExecutor(new ServerCallExecutorSupplier() {
                    @Override
                    public <Q, R> Executor getExecutor(ServerCall<Q, R> call, Metadata metadata) {
                        return ManagementGrpc.SERVICE_NAME.equals(call.getMethodDescriptor().getServiceName()) ? managementCalls : null;
                    }
                })
                .maxConcurrentCallsPerConnection(MAX_CALLS_PER_CONNECTION)
                .sslContext(NodeTls.serverContext(new NodeKeyManager(identity), new ClientCertificateCheck(cluster, log),
                        cluster::mtlsEnforced))
                .handshakeTimeout(settings.handshakeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .maxInboundMessageSize(MAX_MESSAGE_BYTES)
                .permitKeepAliveTime(PERMIT_KEEPALIVE.toSeconds(), TimeUnit.SECONDS)
                .permitKeepAliveWithoutCalls(true)
                .keepAliveTime(KEEPALIVE.toSeconds(), TimeUnit.SECONDS)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT.toSeconds(), TimeUnit.SECONDS)
                // No maxConnectionIdle / maxConnectionAge: a connection is a PKCS#11 application, and closing
                // it would log the application out and close its sessions. Dead peers go by keep-alive.
                .addService(health.getHealthService());
        for (NodeEndpoint e : endpoints) {
            for (ServerServiceDefinition s : e.services()) {
                b.addService(ServerInterceptors.intercept(s, e.interceptors()));
            }
            for (ServerTransportFilter f : e.transportFilters()) {
                b.addTransportFilter(f);
            }
        }
        try {
            server = b.build().start();
            boundPort = server.getPort();
        } catch (IOException | RuntimeException e) {
            shutdownEventLoops();
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IOException("cannot listen on " + settings.host() + ":" + settings.port() + ": " + root.getMessage(), e);
        }
        health.setStatus("", ServingStatus.SERVING);
        return this;
    }

    /**
     * Stops gracefully: no new connections or calls; in-flight calls get {@code stopGrace} to finish, then
     * are cancelled; then the endpoints close (each application C_Finalize'd). Committed writes are already
     * durable in the store. Safe to call twice.
     */
    public void stop() {
        if (!stopping.compareAndSet(false, true)) {
            awaitStopped();
            return;
        }
        health.enterTerminalState();
        try {
            if (server != null) {
                server.shutdown();
                if (!server.awaitTermination(settings.stopGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                    log.line("calls still running after " + settings.stopGrace().toSeconds() + " s; cancelling them");
                    server.shutdownNow();
                    server.awaitTermination(5, TimeUnit.SECONDS);
                }
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        } finally {
            for (int i = endpoints.size() - 1; i >= 0; i--) {
                try {
                    endpoints.get(i).close();
                } catch (RuntimeException e) {
                    log.line("closing " + endpoints.get(i).getClass().getSimpleName() + " failed: " + e);
                }
            }
            shutdownEventLoops();
            stopped.countDown();
        }
    }

    private void shutdownEventLoops() {
        if (managementCalls != null) {
            managementCalls.shutdown();
        }
        for (EventLoopGroup g : new EventLoopGroup[] {boss, workers}) {
            if (g != null) {
                g.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            }
        }
    }

    /** Waits until {@link #stop} has finished. */
    public void awaitStopped() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }
}
