package io.jhsm.node;

import io.grpc.ManagedChannel;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.StreamObserver;
import io.jhsm.client.ClientConfig;
import io.jhsm.client.HsmChannels;
import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.engine.cloudhsm.StateFile;
import io.jhsm.protocol.v1.DescribeRequest;
import io.jhsm.protocol.v1.ManagementGrpc;
import io.jhsm.protocol.v1.NodeDescription;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A node on a loopback ephemeral port over a temporary directory, a customer CA, and clients of it. */
final class TlsNodeFixture implements AutoCloseable {
    static final String ADMIN_PASSWORD = "admin-password-1";

    final Path dir;
    final ByteArrayOutputStream log = new ByteArrayOutputStream();
    final HsmNode node;
    final DescribeEndpoint endpoint;
    final TestPki.Issued customerCa;
    final Path customerCaFile;

    TlsNodeFixture(Path dir, int maxConnections) throws Exception {
        this.dir = dir;
        HsmNode.Settings s = new HsmNode.Settings(dir, "127.0.0.1", 0).withMaxConnections(maxConnections)
                .withLog(new PrintStream(log, true, StandardCharsets.UTF_8));
        node = HsmNode.prepare(s);
        endpoint = new DescribeEndpoint(node);
        node.start(List.of(endpoint));
        customerCa = TestPki.ca("customer CA");
        customerCaFile = customerCa.write(dir.resolve("customerCA.crt"));
    }

    String log() {
        return log.toString(StandardCharsets.UTF_8);
    }

    Path slot() {
        return node.config().tokenDirectory(0);
    }

    /** Signs the cluster's CSR with the customer CA and initializes the cluster with it (as the CLI does), then activates it. */
    void initialize() throws Exception {
        try (CloudHsm hsm = CloudHsm.open(slot())) {
            TestPki.Issued cert = TestPki.hsmCertificate(hsm.cluster().csr(), customerCa,
                    Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(30)));
            hsm.cluster().initialize(cert.pem(), customerCa.pem());
            hsm.cluster().activate(ADMIN_PASSWORD);
        }
    }

    /** Replaces the cluster's HSM certificate, as time passing or a bad re-issue would (the engine refuses such at initialize). */
    void presentHsmCertificate(Instant notBefore, Instant notAfter) throws Exception {
        String csr;
        try (CloudHsm hsm = CloudHsm.open(slot())) {
            csr = hsm.cluster().csr();
        }
        String pem = TestPki.hsmCertificate(csr, customerCa, notBefore, notAfter).pem();
        new StateFile(slot()).update(p -> p.setProperty("cluster.certificate", pem));
    }

    CloudHsm asAdmin() {
        CloudHsm hsm = CloudHsm.open(slot());
        hsm.login("admin", io.jhsm.engine.cloudhsm.Role.ADMIN, ADMIN_PASSWORD);
        return hsm;
    }

    ClientConfig.HostAndPort address() {
        return new ClientConfig.HostAndPort("127.0.0.1", node.port());
    }

    ClientConfig client(Path anchor) {
        return client(anchor, null, null);
    }

    ClientConfig client(Path anchor, Path cert, Path key) {
        return new ClientConfig(List.of(address()), anchor, cert, key, Duration.ofSeconds(10), Duration.ofSeconds(10))
                .withKeyAvailabilityCheck(false); // a one-HSM cluster, as cluster up --hsms 1 sets
    }

    /** Connects, asks the node to describe itself, disconnects; throws HsmConnectException when refused. */
    NodeDescription describe(ClientConfig config) throws InterruptedException {
        ManagedChannel ch = HsmChannels.open(config, address());
        try {
            HsmChannels.connect(ch, config, address());
            return ManagementGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS).describe(DescribeRequest.getDefaultInstance());
        } finally {
            ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
    }

    @Override
    public void close() {
        node.stop();
    }

    /** The smallest endpoint: Management/Describe only, enough to prove a TLS session carries calls. */
    static final class DescribeEndpoint extends ManagementGrpc.ManagementImplBase implements NodeEndpoint {
        private final HsmNode node;
        /** How long each Describe takes: a call in flight for the graceful-stop test. */
        volatile long delayMillis;
        /** Released as each Describe starts. */
        final java.util.concurrent.Semaphore started = new java.util.concurrent.Semaphore(0);

        DescribeEndpoint(HsmNode node) {
            this.node = node;
        }

        @Override
        public List<ServerServiceDefinition> services() {
            return List.of(bindService());
        }

        @Override
        public void describe(DescribeRequest request, StreamObserver<NodeDescription> out) {
            started.release();
            try {
                Thread.sleep(delayMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.onNext(node.describe(0, 0));
            out.onCompleted();
        }
    }
}
