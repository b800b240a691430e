package io.jhsm.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.client.ClientConfig;
import io.jhsm.client.HsmChannels.HsmConnectException;
import io.jhsm.engine.cloudhsm.ClientTrustAnchors;
import io.jhsm.engine.cloudhsm.CloudHsm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The node's TLS as a client meets it: which certificate it presents when, and each refusal in one clear line. */
class HsmNodeTlsTest {
    @TempDir
    Path dir;

    TlsNodeFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new TlsNodeFixture(dir, HsmNode.MAX_CONNECTIONS);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private String refusal(ClientConfig config) {
        return assertThrows(HsmConnectException.class, () -> f.describe(config)).getMessage();
    }

    private void aGoodClientStillWorks() throws Exception {
        assertEquals(f.node.clusterId(), f.describe(f.client(f.customerCaFile)).getClusterId());
    }

    @Test
    void anUninitializedNodePresentsItsBootstrapCertificateWrittenToItsDirectory() throws Exception {
        Path bootstrap = dir.resolve("hsm-bootstrap.crt");
        assertTrue(Files.exists(bootstrap));
        var d = f.describe(f.client(bootstrap));
        assertEquals("UNINITIALIZED", d.getState());
        assertTrue(d.getClusterId().startsWith("cluster-"), d.getClusterId());
        assertTrue(Files.list(dir).anyMatch(p -> p.getFileName().toString().endsWith("_ClusterCsr.csr")), "the CSR is in DIR");
    }

    @Test
    void afterInitializeNewConnectionsGetTheCustomerSignedCertificateWithoutARestart() throws Exception {
        Path bootstrap = dir.resolve("hsm-bootstrap.crt");
        String line = refusal(f.client(f.customerCaFile));
        assertTrue(line.startsWith("HSM 127.0.0.1:" + f.node.port() + ": certificate not issued by the trust anchor in hsm-ca-cert"), line);
        f.initialize();
        assertEquals("ACTIVE", f.describe(f.client(f.customerCaFile)).getState());
        assertTrue(refusal(f.client(bootstrap)).contains("certificate not issued by the trust anchor in hsm-ca-cert " + bootstrap), "bootstrap no longer presented");
    }

    @Test
    void aWrongTrustAnchorIsRefusedWithOneClearLine() throws Exception {
        f.initialize();
        Path other = TestPki.ca("someone else's CA").write(dir.resolve("other.crt"));
        String line = refusal(f.client(other));
        assertTrue(line.startsWith("HSM 127.0.0.1:" + f.node.port() + ": certificate not issued by the trust anchor in hsm-ca-cert " + other), line);
        assertEquals(1, line.lines().count(), line);
        aGoodClientStillWorks();
    }

    @Test
    void anApplicationRefusedAtTheHandshakeGetsCkrDeviceErrorWithTheReason() throws Exception {
        f.initialize();
        Path other = TestPki.ca("someone else's CA").write(dir.resolve("other.crt"));
        ClientConfig config = f.client(other);
        io.jhsm.pkcs11.Cryptoki app = new io.jhsm.client.RemoteCryptoki(config, hsm -> io.jhsm.client.HsmChannels.open(config, hsm));
        io.jhsm.pkcs11.CkException e = assertThrows(io.jhsm.pkcs11.CkException.class,
                () -> app.C_Initialize(io.jhsm.pkcs11.InitializeArgs.NONE));
        assertEquals(io.jhsm.pkcs11.CKR.DEVICE_ERROR, e.rv());
        assertTrue(e.getMessage().contains("HSM " + f.address() + ": certificate not issued by the trust anchor in hsm-ca-cert"),
                e.getMessage());
    }

    @Test
    void anExpiredHsmCertificateIsRefused() throws Exception {
        f.initialize();
        f.presentHsmCertificate(Instant.now().minus(Duration.ofDays(30)), Instant.now().minus(Duration.ofDays(1)));
        String line = refusal(f.client(f.customerCaFile));
        assertTrue(line.contains(": certificate ") && line.contains(" expired on "), line);
        f.presentHsmCertificate(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
        aGoodClientStillWorks();
    }

    @Test
    void aNotYetValidHsmCertificateIsRefused() throws Exception {
        f.initialize();
        f.presentHsmCertificate(Instant.now().plus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
        String line = refusal(f.client(f.customerCaFile));
        assertTrue(line.contains(" is not valid before "), line);
        f.presentHsmCertificate(Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(30)));
        aGoodClientStillWorks();
    }

    @Test
    void underEnforcementOnlyClientsWithACertificateFromARegisteredAnchorConnect() throws Exception {
        f.initialize();
        TestPki.Issued clientCa = TestPki.ca("client CA");
        TestPki.Issued alice = TestPki.client("alice", clientCa);
        ClientConfig withCert = f.client(f.customerCaFile, alice.write(dir.resolve("alice.crt")), alice.writeKey(dir.resolve("alice.key")));
        TestPki.Issued mallory = TestPki.client("mallory", TestPki.ca("unregistered CA"));
        ClientConfig unregistered = f.client(f.customerCaFile, mallory.write(dir.resolve("mallory.crt")),
                mallory.writeKey(dir.resolve("mallory.key")));
        try (CloudHsm admin = f.asAdmin()) {
            admin.clientTrustAnchors().register(clientCa.pem());
            admin.clientTrustAnchors().setEnforcement(ClientTrustAnchors.Enforcement.CLUSTER);
        }

        String none = refusal(f.client(f.customerCaFile));
        assertTrue(none.contains("mutual TLS is enforced and this client presented no certificate"), none);
        String wrong = refusal(unregistered);
        assertTrue(wrong.contains("refused the client certificate " + dir.resolve("mallory.crt")), wrong);
        assertTrue(f.log().contains("refused a client: its certificate CN=mallory (issuer CN=unregistered CA)"), f.log());
        assertEquals(f.node.clusterId(), f.describe(withCert).getClusterId());

        try (CloudHsm admin = f.asAdmin()) {
            admin.clientTrustAnchors().setEnforcement(ClientTrustAnchors.Enforcement.NONE);
        }
        aGoodClientStillWorks();
    }
}
