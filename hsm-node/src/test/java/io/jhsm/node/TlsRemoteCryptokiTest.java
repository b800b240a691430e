package io.jhsm.node;

import static io.jhsm.node.NodeFixture.assertRv;
import static io.jhsm.node.NodeFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.client.ClientConfig;
import io.jhsm.client.HsmChannels;
import io.jhsm.client.RemoteCryptoki;
import io.jhsm.engine.cloudhsm.CloudHsm;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.InitializeArgs;
import io.jhsm.pkcs11.Mechanism;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** RemoteCryptoki over the real node's TLS (HsmNode, HsmChannels) with the Cryptoki endpoint: before and after the cluster's initialization. */
class TlsRemoteCryptokiTest {
    @TempDir
    Path dir;

    @Test
    void pkcs11OverTlsWorksOnceTheClusterIsInitializedAndIsDeviceErrorBefore() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        HsmNode node = HsmNode.prepare(new HsmNode.Settings(dir, "127.0.0.1", 0).withLog(new PrintStream(log, true, StandardCharsets.UTF_8)));
        CryptokiEndpoint cryptoki = new CryptokiEndpoint(node.config(), HsmNode.MAX_CONNECTIONS, node::clusterInitialized);
        node.start(List.of(cryptoki));
        try {
            ClientConfig.HostAndPort address = new ClientConfig.HostAndPort("127.0.0.1", node.port());
            ClientConfig bootstrap = new ClientConfig(List.of(address), node.bootstrapCertificate(), null, null,
                    Duration.ofSeconds(10), Duration.ofSeconds(10));
            RemoteCryptoki early = new RemoteCryptoki(bootstrap, hsm -> HsmChannels.open(bootstrap, hsm));
            early.C_Initialize(InitializeArgs.NONE);
            try {
                CkException e = org.junit.jupiter.api.Assertions.assertThrows(CkException.class, early::C_GetInfo);
                assertEquals(CKR.DEVICE_ERROR, e.rv());
                assertTrue(e.getMessage().contains("cluster not initialized"), e.getMessage());
            } finally {
                early.C_Finalize();
            }

            TestPki.Issued customerCa = TestPki.ca("customer CA");
            Path anchor = customerCa.write(dir.resolve("customerCA.crt"));
            try (CloudHsm hsm = CloudHsm.open(node.config().tokenDirectory(0))) {
                TestPki.Issued cert = TestPki.hsmCertificate(hsm.cluster().csr(), customerCa,
                        Instant.now().minus(Duration.ofHours(1)), Instant.now().plus(Duration.ofDays(30)));
                hsm.cluster().initialize(cert.pem(), customerCa.pem());
                hsm.cluster().activate("admin-password-1");
            }
            ClientConfig customer = new ClientConfig(List.of(address), anchor, null, null, Duration.ofSeconds(10), Duration.ofSeconds(10));
            RemoteCryptoki app = new RemoteCryptoki(customer, hsm -> HsmChannels.open(customer, hsm));
            app.C_Initialize(InitializeArgs.NONE);
            try {
                assertTrue(app.C_GetTokenInfo(0).label().strip().length() > 0);
                long s = app.C_OpenSession(0, CKF.SERIAL_SESSION | CKF.RW_SESSION);
                app.C_DigestInit(s, Mechanism.of(CKM.SHA256));
                byte[] digest = new byte[32];
                assertEquals(32, app.C_Digest(s, bytes("over TLS"), digest));
                assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(bytes("over TLS")), digest);
                assertEquals(1, cryptoki.sessions());
                assertRv(CKR.USER_NOT_LOGGED_IN, () -> app.C_Logout(s));
            } finally {
                app.C_Finalize();
            }
        } finally {
            node.stop();
        }
    }
}
