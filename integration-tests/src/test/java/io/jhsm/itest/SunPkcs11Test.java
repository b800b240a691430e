package io.jhsm.itest;

import static io.jhsm.itest.TokenFixture.USER_PIN;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JDK's SunPKCS11 provider, in a separate JVM (the module is loaded into that process, never into the
 * test JVM): keytool makes key pairs in the token, examples/sunpkcs11/SunPkcs11Demo.java signs with them,
 * and this JVM's default software providers verify the signatures.
 */
class SunPkcs11Test {
    static final Path JAVA_BIN = Path.of(System.getProperty("java.home"), "bin");
    static final Path DEMO = ModuleUnderTest.repoRoot().resolve("examples/sunpkcs11/SunPkcs11Demo.java");

    @TempDir static Path dir;
    static TokenFixture token;
    static Path config;

    @BeforeAll
    static void tokenWithKeytoolGeneratedKeyPairs() {
        token = TokenFixture.initialised(dir);
        config = Files2.write(dir.resolve("sunpkcs11.cfg"), ("name = jhsm\nlibrary = " + token.module()
                + "\nslot = " + token.slotId() + "\n").getBytes());
        keytool("-genkeypair", "-alias", "k1", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=test")
                .run().assertOk("keytool -genkeypair EC secp256r1 in the token");
        keytool("-genkeypair", "-alias", "k2", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=test-rsa")
                .run().assertOk("keytool -genkeypair RSA 2048 in the token");
    }

    static Cmd keytool(String... args) {
        return token.cmd(JAVA_BIN.resolve("keytool").toString(), "-keystore", "NONE", "-storetype", "PKCS11",
                "-addprovider", "SunPKCS11", "-providerArg", config.toString(), "-providerName", "SunPKCS11-jhsm",
                "-storepass", USER_PIN).args(args);
    }

    static Cmd demo(String... args) {
        return token.cmd(JAVA_BIN.resolve("java").toString(), DEMO.toString(), config.toString(), USER_PIN)
                .args(args);
    }

    @Test
    void keytoolListsTheKeyPairsItGeneratedAndPkcs11ToolSeesThem() {
        keytool("-list").run().assertOk("keytool -list")
                .assertOutputContains("k1, PrivateKeyEntry", "EC entry listed")
                .assertOutputContains("k2, PrivateKeyEntry", "RSA entry listed");
        token.asUser("--list-objects").run().assertOk("pkcs11-tool --list-objects")
                .assertOutputContains("label:      k1", "keytool's EC key is a token object")
                .assertOutputContains("label:      k2", "keytool's RSA key is a token object");
    }

    @ParameterizedTest(name = "{1} with token key {0}")
    @CsvSource({"k1, SHA256withECDSA", "k2, SHA256withRSA"})
    void signatureMadeInTheTokenVerifiesWithTheDefaultProvider(String alias, String algorithm) throws Exception {
        Path data = Files2.write(dir.resolve(alias + ".data"), Files2.randomBytes(4096));
        Path sig = dir.resolve(alias + ".sig");
        Path cert = dir.resolve(alias + ".cer");
        demo("sign", alias, algorithm, data.toString(), sig.toString(), cert.toString()).run()
                .assertOk("SunPKCS11 " + algorithm + " with " + alias);

        X509Certificate x509 = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(Files2.read(cert)));
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(x509.getPublicKey());
        verifier.update(Files2.read(data));
        assertTrue(verifier.verify(Files2.read(sig)), algorithm + " signature from the token verifies in software");
    }

    @Test
    void aesGcmWithATokenKeyRoundTripsAndMatchesSoftwareWhenTheKeyIsExtractable() {
        Cmd.Result r = demo("aes-gcm").run().assertOk("SunPKCS11 AES/GCM/NoPadding")
                .assertOutputContains("round trip in the token OK", "token AES-GCM round trip");
        if (!r.output().contains("not extractable")) {
            r.assertOutputContains("software AES-GCM ciphertext identical", "token and software AES-GCM agree");
        }
    }

    @Test
    void standaloneDemoRunsAgainstTheToken() {
        demo().run().assertOk("SunPkcs11Demo demo")
                .assertOutputContains("SHA256withECDSA signature verifies in software: true", "EC demo signature")
                .assertOutputContains("SHA256withRSA signature verifies in software: true", "RSA demo signature");
    }
}
