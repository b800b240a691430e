package io.jhsm.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.jhsm.client.ClientConfig;
import io.jhsm.client.HsmChannels;
import io.jhsm.client.HsmChannels.HsmConnectException;
import io.jhsm.protocol.v1.DescribeRequest;
import io.jhsm.protocol.v1.ManagementGrpc;
import io.jhsm.protocol.v1.NodeDescription;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the node does with clients that are not clients (plain TCP, HTTP/2 without TLS), too many connections, and a stop. */
class HsmNodeLimitsTest {
    @TempDir
    Path dir;

    TlsNodeFixture f;

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
    }

    private NodeDescription goodClient() throws Exception {
        return f.describe(f.client(dir.resolve("hsm-bootstrap.crt")));
    }

    @Test
    void plainTcpGarbageIsDroppedAndTheNodeKeepsServing() throws Exception {
        f = new TlsNodeFixture(dir, HsmNode.MAX_CONNECTIONS);
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), f.node.port())) {
            s.setSoTimeout(15_000);
            OutputStream out = s.getOutputStream();
            out.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n\u0000\u0001garbage".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] buf = new byte[4096];
            int total = 0;
            for (int n; (n = in.read(buf)) >= 0 && total < 65_536; ) {
                total += n; // the node answers with at most a TLS alert, then closes
            }
            assertTrue(total < 65_536, "the node closed the connection");
        }
        assertEquals("UNINITIALIZED", goodClient().getState());
    }

    @Test
    void anHttp2ClientWithoutTlsIsRefusedAndTheNodeKeepsServing() throws Exception {
        f = new TlsNodeFixture(dir, HsmNode.MAX_CONNECTIONS);
        ManagedChannel plain = NettyChannelBuilder.forAddress("127.0.0.1", f.node.port()).usePlaintext().build();
        try {
            assertThrows(StatusRuntimeException.class, () -> ManagementGrpc.newBlockingStub(plain)
                    .withDeadlineAfter(10, TimeUnit.SECONDS).describe(DescribeRequest.getDefaultInstance()));
        } finally {
            plain.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        assertEquals("UNINITIALIZED", goodClient().getState());
    }

    @Test
    void aClientPointedAtAPortWithoutTlsSaysSoInOneLine() throws Exception {
        f = new TlsNodeFixture(dir, HsmNode.MAX_CONNECTIONS);
        try (ServerSocket notTls = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try (Socket s = notTls.accept()) {
                    s.getOutputStream().write("220 smtp.example ESMTP ready\r\n".getBytes(StandardCharsets.US_ASCII));
                    s.getInputStream().read(new byte[1024]);
                } catch (Exception e) {
                    // the client hung up
                }
            });
            t.start();
            ClientConfig.HostAndPort at = new ClientConfig.HostAndPort("127.0.0.1", notTls.getLocalPort());
            ClientConfig c = new ClientConfig(List.of(at), f.customerCaFile, null, null, Duration.ofSeconds(10), Duration.ofSeconds(10));
            ManagedChannel ch = HsmChannels.open(c, at);
            try {
                String line = assertThrows(HsmConnectException.class, () -> HsmChannels.connect(ch, c, at)).getMessage();
                assertTrue(line.startsWith("HSM " + at + ": no TLS answer on that port"), line);
            } finally {
                ch.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
                t.join(15_000);
            }
        }
    }

    @Test
    void connectionsPastTheLimitAreRefusedAndLoggedOnce() throws Exception {
        f = new TlsNodeFixture(dir, 2);
        List<Socket> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                idle.add(new Socket(InetAddress.getLoopbackAddress(), f.node.port()));
            }
            waitFor(() -> f.node.connections() == 2);
            // Shorter than the node's handshake timeout, which would free the idle slots meanwhile.
            ClientConfig quick = new ClientConfig(List.of(f.address()), dir.resolve("hsm-bootstrap.crt"), null, null,
                    Duration.ofSeconds(2), Duration.ofSeconds(2));
            String line = assertThrows(HsmConnectException.class, () -> f.describe(quick)).getMessage();
            assertTrue(line.startsWith("HSM " + f.address() + ": connection lost or closed before TLS completed"), line);
            assertTrue(line.contains("at its limit of connections?") && line.lines().count() == 1, line);
            assertThrows(HsmConnectException.class, () -> f.describe(quick));
            assertEquals(1, f.log().lines().filter(l -> l.contains("refusing new connections: 2 are open")).count(), f.log());
        } finally {
            for (Socket s : idle) {
                s.close();
            }
        }
        waitFor(() -> f.node.connections() == 0);
        assertEquals("UNINITIALIZED", goodClient().getState());
    }

    @Test
    void aStopLetsTheCallInFlightFinish() throws Exception {
        f = new TlsNodeFixture(dir, HsmNode.MAX_CONNECTIONS);
        f.endpoint.delayMillis = 1_500;
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<NodeDescription> inFlight = pool.submit(this::goodClient);
            assertTrue(f.endpoint.started.tryAcquire(30, TimeUnit.SECONDS), "the call reached the endpoint");
            f.node.stop();
            assertEquals("UNINITIALIZED", inFlight.get(30, TimeUnit.SECONDS).getState());
            assertThrows(HsmConnectException.class, this::goodClient);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }
}
