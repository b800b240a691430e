package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JDK's SunPKCS11 provider in JVMs of their own (keytool, examples/sunpkcs11/SunPkcs11Demo.java,
 * src/test/jvm/SunPkcs11Scenarios.java) against an HSM node, logged in as the crypto user alice: keytool makes
 * key pairs in the cluster, the node signs and encrypts, and this JVM's software providers check the results.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "the network HSM is jhsm's own")
class NetworkSunPkcs11Test {
    /** SunPKCS11's generic compatibility: keytool names a key pair it made with C_CopyObject, which CloudHSM's library refuses: the node's token is pkcs11. */
    @RegisterExtension static final NetworkHsmFixture hsm = NetworkHsmFixture.withProfile("pkcs11");
    static Path config;

    @BeforeAll
    static void keytoolGeneratesKeyPairsInTheCluster() {
        // The cluster is the module's only slot.
        config = Files2.write(hsm.file("sunpkcs11.cfg"),
                ("name = jhsm-node\nlibrary = " + hsm.module() + "\nslotListIndex = 0\n").getBytes());
        keytool("-genkeypair", "-alias", "k1", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=node-ec")
                .run().assertOk("keytool -genkeypair EC secp256r1 through the node");
        keytool("-genkeypair", "-alias", "k2", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=node-rsa")
                .run().assertOk("keytool -genkeypair RSA 2048 through the node");
    }

    static Cmd keytool(String... args) {
        return hsm.cmd(SunPkcs11Test.JAVA_BIN.resolve("keytool").toString(), "-keystore", "NONE", "-storetype", "PKCS11",
                "-addprovider", "SunPKCS11", "-providerArg", config.toString(), "-providerName", "SunPKCS11-jhsm-node",
                "-storepass", NetworkHsmFixture.alicePin()).args(args);
    }

    static Cmd java(Path program, String... args) {
        return hsm.cmd(SunPkcs11Test.JAVA_BIN.resolve("java").toString(), program.toString(), config.toString(),
                NetworkHsmFixture.alicePin()).args(args);
    }

    @Test
    void keytoolListsTheKeyPairsItGeneratedAndPkcs11ToolSeesThemInTheCluster() {
        keytool("-list").run().assertOk("keytool -list through the node")
                .assertOutputContains("k1, PrivateKeyEntry", "EC entry listed")
                .assertOutputContains("k2, PrivateKeyEntry", "RSA entry listed");
        // SunPKCS11 names a key entry by the key's CKA_ID and its certificate's CKA_LABEL, both the alias.
        hsm.asAlice("--list-objects", "--type", "privkey").run().assertOk("pkcs11-tool --list-objects")
                .assertOutputContains("ID:         6b31", "keytool's EC key (CKA_ID \"k1\") is a cluster key of alice's")
                .assertOutputContains("ID:         6b32", "keytool's RSA key (CKA_ID \"k2\") is a cluster key of alice's");
        hsm.asAlice("--list-objects", "--type", "cert").run().assertOk("pkcs11-tool --list-objects")
                .assertOutputContains("label:      k1", "keytool's EC certificate is in the cluster")
                .assertOutputContains("label:      k2", "keytool's RSA certificate is in the cluster");
    }

    @ParameterizedTest(name = "{1} with cluster key {0}")
    @CsvSource({"k1, SHA256withECDSA", "k2, SHA256withRSA"})
    void signatureMadeByTheNodeVerifiesWithTheDefaultProvider(String alias, String algorithm) throws Exception {
        Path data = Files2.write(hsm.file(alias + ".data"), Files2.randomBytes(4096));
        Path sig = hsm.file(alias + ".sig");
        Path cert = hsm.file(alias + ".cer");
        java(SunPkcs11Test.DEMO, "sign", alias, algorithm, data.toString(), sig.toString(), cert.toString()).run()
                .assertOk("SunPKCS11 " + algorithm + " with " + alias + " through the node");

        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files2.read(cert)));
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(x509.getPublicKey());
        verifier.update(Files2.read(data));
        assertTrue(verifier.verify(Files2.read(sig)), algorithm + " signature from the node verifies in software");
    }

    @Test
    void everyKeyStoreEntrySignsForItsCertificate() {
        java(SunPkcs11Test.SCENARIOS, "keystore").run().assertOk("SunPKCS11 KeyStore scenarios through the node")
                .assertOutputContains("OK k1 SHA256withECDSA by the token verifies with the certificate's key", "EC key")
                .assertOutputContains("OK k2 SHA256withRSA by the token verifies with the certificate's key", "RSA key")
                .assertOutputContains("INFO key entries: 2", "exactly keytool's two key pairs");
    }

    @Test
    void aesGcmThroughTheNodeAgreesWithSunJceBothWays() {
        java(SunPkcs11Test.SCENARIOS, "gcm").run().assertOk("SunPKCS11 AES-GCM scenarios through the node")
                .assertOutputContains("OK AES-GCM by the token decrypts in SunJCE", "token encrypts, software decrypts")
                .assertOutputContains("OK AES-GCM ciphertext and tag by the token equal SunJCE's", "same ciphertext")
                .assertOutputContains("OK AES-GCM by SunJCE decrypts in the token", "software encrypts, token decrypts")
                .assertOutputContains("OK AES-GCM with a wrong tag is refused by the token", "the tag is checked");
    }

    @Test
    void aesGcmWithAKeyGeneratedInTheClusterRoundTrips() {
        java(SunPkcs11Test.DEMO, "aes-gcm").run().assertOk("SunPkcs11Demo aes-gcm through the node")
                .assertOutputContains("round trip in the token OK", "AES-GCM round trip through the node");
    }

    /** JDK 25's SunPKCS11 takes the PKCS#11 3.0 interface: SHA-3, ChaCha20-Poly1305 and C_SessionCancel cross the wire too. */
    @Test
    void jdk25SunPkcs11UsesThePkcs11V3FunctionsThroughTheNode() {
        if (!Files.isExecutable(SunPkcs11Test.JDK25.resolve("bin/java"))) {
            Assumptions.abort("no Temurin 25 at " + SunPkcs11Test.JDK25);
        }
        Cmd.Result r = hsm.cmd(SunPkcs11Test.JDK25.resolve("bin/java").toString(),
                        "--add-opens", "jdk.crypto.cryptoki/sun.security.pkcs11=ALL-UNNAMED",
                        "--add-opens", "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED",
                        SunPkcs11Test.SCENARIOS.toString(), config.toString(), NetworkHsmFixture.alicePin(), "pkcs11v3")
                .run().assertOk("SunPKCS11 on JDK 25 through the node");
        for (String pass : new String[] {"OK SunPKCS11 holds the PKCS#11 3.0 function list",
            "OK SHA3-256 clone() continuation matches SUN", "OK ChaCha20-Poly1305 by the token decrypts in SunJCE",
            "OK a Signature re-initialised midway signs only the new data"}) {
            r.assertOutputContains(pass, "JDK 25 through the node");
        }
    }
}
