package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OpenSSL 3 with the libp11 engine against an HSM node: a TLS server whose private key lives in the cluster
 * (every handshake signature is made by the node) completes a handshake that plain openssl s_client verifies
 * against the server's certificate, itself signed in the cluster and checked by plain openssl.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "the network HSM is jhsm's own")
class NetworkOpenSslEngineTest {
    static final Duration SERVER_START = Duration.ofSeconds(60);

    /**
     * The pkcs11 profile: this test is about the consumer's generic PKCS#11 use over the network. Under the cluster's
     * own cloudhsm profile its pkcs11-tool/NSS key generation (CKA_PRIVATE FALSE on the public key) is refused, as
     * CloudHSM refuses it (PyKcs11CloudHsmKeysTest shows that).
     */
    @RegisterExtension static final NetworkHsmFixture hsm = NetworkHsmFixture.withProfile("pkcs11");
    static Path engineConf;

    @BeforeAll
    static void aliceHasAnRsaAndAnEcKeyInTheCluster() {
        hsm.asAlice("--keypairgen", "--key-type", "rsa:2048", "--label", "rsa", "--id", "01").run().assertOk("RSA");
        hsm.asAlice("--keypairgen", "--key-type", "EC:prime256v1", "--label", "ec", "--id", "02").run().assertOk("EC");
        engineConf = OpenSslEngineTest.engineConfig(hsm.file("openssl-engine.cnf"), hsm.module());
    }

    static Cmd opensslWithEngine(String... args) {
        return hsm.cmd("openssl").args(args).env("OPENSSL_CONF", engineConf.toString());
    }

    static String keyUri(String label) {
        return hsm.privateKeyUri(label, NetworkHsmFixture.alicePin());
    }

    /** A self-signed certificate whose signature the node made; plain openssl verifies it and finds the cluster's key in it. */
    static Path selfSignedCert(String key, String id) {
        Path cert = hsm.file(key + ".crt.pem");
        opensslWithEngine("req", "-new", "-x509", "-sha256", "-days", "2", "-subj", "/CN=jhsm-node-" + key,
                "-engine", "pkcs11", "-keyform", "engine", "-key", keyUri(key), "-out", cert.toString())
                .run().assertOk("openssl req -x509 with the " + key + " key in the cluster");
        Cmd.of("openssl", "verify", "-CAfile", cert.toString(), cert.toString()).run()
                .assertOk("openssl verify").assertOutputContains(": OK", "the self-signature made by the node verifies");
        Path der = hsm.file("pub-" + id + ".der");
        hsm.asAlice("--read-object", "--type", "pubkey", "--id", id, "-o", der.toString()).run().assertOk("read pubkey");
        String clusterKey = Cmd.of("openssl", "pkey", "-pubin", "-inform", "DER", "-in", der.toString()).run()
                .assertOk("openssl parses the cluster's public key").output();
        String certKey = Cmd.of("openssl", "x509", "-in", cert.toString(), "-noout", "-pubkey").run()
                .assertOk("openssl x509 -pubkey").output();
        assertEquals(clusterKey, certKey, "the certificate carries the cluster key's public half");
        return cert;
    }

    @ParameterizedTest(name = "{0} key")
    @ValueSource(strings = {"rsa", "ec"})
    void tlsServerWithItsKeyInTheClusterCompletesAVerifiedHandshake(String key) throws IOException {
        Path cert = selfSignedCert(key, key.equals("rsa") ? "01" : "02");
        int port = OpenSslEngineTest.freeLoopbackPort();
        Cmd server = opensslWithEngine("s_server", "-accept", "127.0.0.1:" + port, "-naccept", "1",
                "-engine", "pkcs11", "-keyform", "engine", "-key", keyUri(key), "-cert", cert.toString());
        Cmd client = Cmd.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-verify_return_error", "-CAfile", cert.toString());

        try (Background srv = Background.start("s_server", server, hsm.file("s_server-" + key + ".log"))) {
            srv.awaitOutput("ACCEPT", SERVER_START, "s_server loads its key through the node and listens");
            srv.send("hello from the server");
            try (Background cli = Background.start("s_client", client, hsm.file("s_client-" + key + ".log"))) {
                cli.awaitOutput("hello from the server", Duration.ofSeconds(60), "the handshake completes, data flows");
                cli.send("hello from the client");
                srv.awaitOutput("hello from the client", Duration.ofSeconds(30), "the server reads the client's line");
                cli.awaitOutput("Verify return code: 0 (ok)", Duration.ofSeconds(5), "s_client verified the server");
            }
        }
    }
}
