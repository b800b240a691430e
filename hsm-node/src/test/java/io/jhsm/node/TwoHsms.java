package io.jhsm.node;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.jhsm.client.ClientConfig;
import io.jhsm.client.RemoteCryptoki;
import io.jhsm.pkcs11.InitializeArgs;
import io.jhsm.protocol.v1.HsmEntry;
import io.jhsm.protocol.v1.HsmList;
import io.jhsm.protocol.v1.ListHsmsRequest;
import io.jhsm.protocol.v1.ManagementGrpc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Two HSM nodes over the same directory, as two HSMs of one cluster look to a client (SQLite shares the token
 * between them): A is a node as NodeFixture starts it (no ListHsms: an older node, a one-HSM cluster by itself);
 * B also answers Management/ListHsms with both, as a cluster node does. Plaintext loopback.
 */
final class TwoHsms implements AutoCloseable {
    final NodeFixture a;
    CryptokiEndpoint bEndpoint;
    private Server b;
    int bPort;
    /** What B's ListHsms answers: both by default; a test changes it as membership changes (null entry: B itself). */
    volatile List<ClientConfig.HostAndPort> cluster;

    TwoHsms(Path dir) throws IOException {
        a = new NodeFixture(dir, 64);
        startB(0);
    }

    void startB(int port) throws IOException {
        bEndpoint = new CryptokiEndpoint(a.config, 64, () -> true);
        NettyServerBuilder sb = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", port));
        bEndpoint.services().forEach(sb::addService);
        bEndpoint.transportFilters().forEach(sb::addTransportFilter);
        sb.addService(new ClusterList());
        b = sb.build().start();
        bPort = b.getPort();
    }

    void stopB() throws InterruptedException {
        b.shutdownNow();
        b.awaitTermination(10, TimeUnit.SECONDS);
        bEndpoint.close();
    }

    ClientConfig.HostAndPort addressA() {
        return new ClientConfig.HostAndPort("127.0.0.1", a.port);
    }

    ClientConfig.HostAndPort addressB() {
        return new ClientConfig.HostAndPort("127.0.0.1", bPort);
    }

    /** An initialized application whose client.conf lists {@code hsms}. */
    RemoteCryptoki connected(List<ClientConfig.HostAndPort> hsms, boolean discovery) {
        return connected(hsms, discovery, Duration.ofSeconds(5));
    }

    /** session-placement = session (these tests are about spreading one application's sessions); false: application. */
    boolean spread = true;

    RemoteCryptoki connected(List<ClientConfig.HostAndPort> hsms, boolean discovery, Duration callTimeout) {
        ClientConfig config = new ClientConfig(hsms, a.directory.resolve("unused-ca.crt"), null, null, Duration.ofSeconds(5),
                callTimeout).withDiscovery(discovery).withSpreadSessions(spread);
        RemoteCryptoki app = new RemoteCryptoki(config, hsm -> NettyChannelBuilder.forAddress(hsm.host(), hsm.port()).usePlaintext().build());
        app.C_Initialize(InitializeArgs.NONE);
        return app;
    }

    /** Open sessions on A and on B, as each node counts them. */
    int[] sessions() {
        return new int[] {a.endpoint.sessions(), bEndpoint.sessions()};
    }

    private final class ClusterList extends ManagementGrpc.ManagementImplBase {
        @Override
        public void listHsms(ListHsmsRequest request, StreamObserver<HsmList> out) {
            HsmList.Builder list = HsmList.newBuilder().setClusterId("cluster-test");
            for (ClientConfig.HostAndPort h : cluster == null ? List.of(addressA(), addressB()) : cluster) {
                list.addHsms(HsmEntry.newBuilder().setHsmId("hsm-" + h.port()).setAddress(h.toString()).setState("ACTIVE"));
            }
            out.onNext(list.build());
            out.onCompleted();
        }
    }

    @Override
    public void close() throws InterruptedException {
        stopB();
        a.close();
    }
}
