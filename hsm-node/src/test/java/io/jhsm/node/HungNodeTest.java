package io.jhsm.node;

import static io.jhsm.node.NodeFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.jhsm.client.ClientConfig;
import io.jhsm.client.RemoteCryptoki;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.InitializeArgs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node that accepts the call and never answers: the call gives CKR_DEVICE_ERROR at its deadline, never a hang. */
class HungNodeTest {
    @TempDir
    Path dir;

    @Test
    void aCallTheHsmNeverAnswersIsDeviceErrorAtTheDeadline() throws Exception {
        Server hung = HungHsm.start();
        try {
            ClientConfig config = new ClientConfig(List.of(new ClientConfig.HostAndPort("127.0.0.1", hung.getPort())),
                    dir.resolve("unused-ca.crt"), null, null, Duration.ofSeconds(5), Duration.ofMillis(500));
            RemoteCryptoki app = new RemoteCryptoki(config, hsm -> NettyChannelBuilder.forAddress(hsm.host(), hsm.port()).usePlaintext().build());
            app.C_Initialize(InitializeArgs.NONE);
            try {
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                    assertRv(CKR.DEVICE_ERROR, () -> app.C_OpenSession(0, 4));
                    assertRv(CKR.DEVICE_ERROR, app::C_GetInfo);
                });
            } finally {
                app.C_Finalize();
            }
        } finally {
            hung.shutdownNow();
            hung.awaitTermination(10, TimeUnit.SECONDS);
        }
    }
}
