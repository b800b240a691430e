package io.jhsm.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.jhsm.client.ClientConfig;
import io.jhsm.client.RemoteCryptoki;
import io.jhsm.engine.Engine;
import io.jhsm.engine.config.Config;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.InitializeArgs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.function.Executable;

/**
 * A real gRPC server on 127.0.0.1 (plaintext: TLS is HsmNode's) serving CryptokiEndpoint over a
 * temporary token directory whose token a local engine initialised, and RemoteCryptoki clients that
 * reach it through plaintext loopback channels.
 */
final class NodeFixture implements AutoCloseable {
    static final byte[] SO_PIN = bytes("so-secret-1");
    static final byte[] USER_PIN = bytes("user-secret-1");

    final Path directory;
    final Config config;
    private final int maxSessions;
    volatile boolean clusterInitialized = true;
    /** Set: reading the cluster's state fails with it (an unreadable directory). */
    volatile RuntimeException clusterStateFailure;
    /** The server's bound on a request (HsmNode sets the real one). */
    int maxInboundMessageSize = 1 << 20;
    CryptokiEndpoint endpoint;
    /** The node's faults (jhsm cluster fault). */
    final Faults faults = new Faults("hsm-fixture", null, line -> { }, System::nanoTime);
    /** HSMs in the node's cluster, for the key availability check: a standalone node is a cluster of one. */
    volatile int hsmsInCluster = 1;
    private Server server;
    int port;

    NodeFixture(Path directory, int maxSessions) throws IOException {
        this.directory = directory;
        this.config = new Config(directory, 1);
        this.maxSessions = maxSessions;
        initialiseToken();
        start(0);
    }

    private void initialiseToken() {
        Engine e = local();
        try {
            e.C_InitToken(0, SO_PIN, label("node token"));
            long s = e.C_OpenSession(0, CKF.SERIAL_SESSION | CKF.RW_SESSION);
            e.C_Login(s, CKU.SO, SO_PIN);
            e.C_InitPIN(s, USER_PIN);
            e.C_CloseSession(s);
        } finally {
            e.C_Finalize();
        }
    }

    /** An in-process engine over the node's directory: another application, as a local process would be. */
    Engine local() {
        Engine e = new Engine(config);
        e.C_Initialize(InitializeArgs.NONE);
        return e;
    }

    void start(int onPort) throws IOException {
        BooleanSupplier initialized = () -> {
            if (clusterStateFailure != null) {
                throw clusterStateFailure;
            }
            return clusterInitialized;
        };
        endpoint = new CryptokiEndpoint(config, maxSessions, initialized, faults, () -> hsmsInCluster);
        NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", onPort))
                .maxInboundMessageSize(maxInboundMessageSize);
        endpoint.services().forEach(b::addService);
        endpoint.transportFilters().forEach(b::addTransportFilter);
        server = b.build().start();
        port = server.getPort();
    }

    void stop() throws InterruptedException {
        server.shutdownNow();
        server.awaitTermination(10, TimeUnit.SECONDS);
        endpoint.close();
    }

    ClientConfig clientConfig(Duration callTimeout) {
        return new ClientConfig(List.of(new ClientConfig.HostAndPort("127.0.0.1", port)), directory.resolve("unused-ca.crt"), null, null,
                Duration.ofSeconds(5), callTimeout).withKeyAvailabilityCheck(false); // a one-HSM cluster, as cluster up --hsms 1 sets
    }

    /** A client that is not yet initialised. */
    RemoteCryptoki client(Duration callTimeout) {
        return client(clientConfig(callTimeout));
    }

    RemoteCryptoki client(ClientConfig config) {
        return new RemoteCryptoki(config, hsm -> NettyChannelBuilder.forAddress(hsm.host(), hsm.port())
                .usePlaintext().maxInboundMessageSize(32 << 20).build());
    }

    /** An application connected to the node (C_Initialize done). */
    RemoteCryptoki connected() {
        RemoteCryptoki c = client(Duration.ofSeconds(10));
        c.C_Initialize(InitializeArgs.NONE);
        return c;
    }

    static long userSession(Cryptoki c) {
        long s = c.C_OpenSession(0, CKF.SERIAL_SESSION | CKF.RW_SESSION);
        c.C_Login(s, CKU.USER, USER_PIN);
        return s;
    }

    /** Waits (bounded) until the node has seen a connection end. */
    static void eventually(BooleanSupplier condition, String what) throws InterruptedException {
        for (int i = 0; i < 200 && !condition.getAsBoolean(); i++) {
            Thread.sleep(25);
        }
        if (!condition.getAsBoolean()) {
            throw new AssertionError("not within 5 s: " + what);
        }
    }

    static void assertRv(long rv, Executable call) {
        CkException e = assertThrows(CkException.class, call);
        assertEquals(io.jhsm.pkcs11.CKR.name(rv), io.jhsm.pkcs11.CKR.name(e.rv()), e.getMessage());
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] label(String s) {
        byte[] l = new byte[32];
        Arrays.fill(l, (byte) ' ');
        byte[] b = bytes(s);
        System.arraycopy(b, 0, l, 0, b.length);
        return l;
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }
}
