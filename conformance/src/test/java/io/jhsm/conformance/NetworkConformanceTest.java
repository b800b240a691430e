package io.jhsm.conformance;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.jhsm.client.ClientConfig;
import io.jhsm.client.RemoteCryptoki;
import io.jhsm.conformance.abi.FunctionList;
import io.jhsm.conformance.target.Target;
import io.jhsm.conformance.target.TokenSetup;
import io.jhsm.engine.config.Config;
import io.jhsm.node.CryptokiEndpoint;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.Cryptoki;
import io.jhsm.pkcs11.InitializeArgs;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The suite's rules through the network client: RemoteCryptoki over a plaintext loopback channel to a
 * real gRPC server with the node's CryptokiEndpoint (TLS is HsmNode's; the module in network mode is
 * net-tests'). Every specification rule must hold as it does in process; the C ABI rules are skipped.
 */
class NetworkConformanceTest extends ConformanceTestBase {
    static NetworkTarget target;

    @BeforeAll
    static void open() throws Exception {
        target = new NetworkTarget();
    }

    @AfterAll
    static void close() throws Exception {
        writeReport(target, "jhsm-network.md");
        target.close();
    }

    @TestFactory
    Stream<DynamicTest> everySpecRule() {
        return run(target, ConformanceTestBase::specRulesHold);
    }

    static final class NetworkTarget implements Target {
        private final CryptokiEndpoint endpoint;
        private final Server server;
        private final RemoteCryptoki client;
        private final long slot;

        NetworkTarget() throws Exception {
            Path dir = Files.createTempDirectory("jhsm-network-conformance-");
            endpoint = new CryptokiEndpoint(new Config(dir, 1), 2048, () -> true);
            NettyServerBuilder b = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
            endpoint.services().forEach(b::addService);
            endpoint.transportFilters().forEach(b::addTransportFilter);
            server = b.build().start();
            ClientConfig config = new ClientConfig(List.of(new ClientConfig.HostAndPort("127.0.0.1", server.getPort())),
                    dir.resolve("unused-ca.crt"), null, null, Duration.ofSeconds(5), Duration.ofSeconds(60))
                    .withKeyAvailabilityCheck(false); // a one-HSM cluster, as cluster up --hsms 1 sets
            client = new RemoteCryptoki(config, hsm -> NettyChannelBuilder.forAddress(hsm.host(), hsm.port()).usePlaintext()
                    .maxInboundMessageSize(32 << 20).build());
            client.C_Initialize(new InitializeArgs(CKF.OS_LOCKING_OK, false, false));
            slot = TokenSetup.initialise(client, 0, "conformance", TokenSetup.SO_PIN, TokenSetup.USER_PIN);
        }

        @Override public String name() { return "jhsm network client"; }
        @Override public Cryptoki cryptoki() { return client; }
        @Override public long slot() { return slot; }
        @Override public byte[] userPin() { return TokenSetup.USER_PIN; }
        @Override public byte[] soPin() { return TokenSetup.SO_PIN; }
        @Override public FunctionList functions() { return null; }

        @Override
        public void close() {
            client.C_Finalize();
            server.shutdownNow();
            try {
                server.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            endpoint.close();
        }
    }
}
