package io.jhsm.itest;

import static io.jhsm.itest.TokenFixture.USER_PIN;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The JDK's SunPKCS11 provider, in a separate JVM (the module is loaded into that process, never into the
 * test JVM): keytool makes key pairs in the token, examples/sunpkcs11/SunPkcs11Demo.java signs with them,
 * and this JVM's default software providers verify the signatures. src/test/jvm/SunPkcs11Scenarios.java
 * runs the deeper checks, one JVM per group, each printing an "OK" line per passed comparison.
 */
class SunPkcs11Test {
    static final Path JAVA_BIN = Path.of(System.getProperty("java.home"), "bin");
    static final Path DEMO = ModuleUnderTest.repoRoot().resolve("examples/sunpkcs11/SunPkcs11Demo.java");
    static final Path SCENARIOS = ModuleUnderTest.repoRoot().resolve("integration-tests/src/test/jvm/SunPkcs11Scenarios.java");
    static final Path JDK25 = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");
    static final Path SPY = Path.of("/usr/lib/x86_64-linux-gnu/pkcs11-spy.so");

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
        keyWithCaIssuedChain();
    }

    /** k3: a token RSA key whose certificate a software CA issued; keytool imports the reply (leaf and CA). */
    static void keyWithCaIssuedChain() {
        keytool("-genkeypair", "-alias", "k3", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=leaf")
                .run().assertOk("keytool -genkeypair k3");
        keytool("-certreq", "-alias", "k3", "-file", "k3.csr").run().assertOk("keytool -certreq k3");
        String[] ca = {"-keystore", "ca.p12", "-storetype", "PKCS12", "-storepass", "capass123", "-alias", "ca"};
        token.cmd(JAVA_BIN.resolve("keytool").toString()).args(ca).args("-genkeypair", "-keyalg", "EC",
                "-groupname", "secp384r1", "-dname", "CN=Test CA", "-ext", "bc:c").run().assertOk("software CA key");
        token.cmd(JAVA_BIN.resolve("keytool").toString()).args(ca).args("-gencert", "-infile", "k3.csr",
                "-outfile", "k3.pem", "-rfc").run().assertOk("CA issues k3's certificate");
        token.cmd(JAVA_BIN.resolve("keytool").toString()).args(ca).args("-exportcert", "-rfc", "-file", "ca.pem")
                .run().assertOk("CA certificate");
        byte[] chain = (new String(Files2.read(dir.resolve("k3.pem")), StandardCharsets.US_ASCII)
                + new String(Files2.read(dir.resolve("ca.pem")), StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
        Files2.write(dir.resolve("chain.pem"), chain);
        // The CA is in no trust store, so keytool asks before installing the reply.
        keytool("-importcert", "-alias", "k3", "-file", "chain.pem").stdin("yes\n").run()
                .assertOk("keytool -importcert of k3's CA reply")
                .assertOutputContains("Certificate reply was installed", "reply installed in the token");
    }

    /** One scenario group in its own JVM ({@code javaHome}'s), against the token through {@code cfg}. */
    static Cmd scenarios(Path javaHome, Path cfg, String group) {
        return token.cmd(javaHome.resolve("bin/java").toString(),
                "--add-opens", "jdk.crypto.cryptoki/sun.security.pkcs11=ALL-UNNAMED",
                "--add-opens", "jdk.crypto.cryptoki/sun.security.pkcs11.wrapper=ALL-UNNAMED",
                SCENARIOS.toString(), cfg.toString(), USER_PIN, group);
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

    @Test
    void digestClonedMidwayContinuesLikeTheJdksSoftwareDigest() {
        scenarios(Path.of(System.getProperty("java.home")), config, "clone").run().assertOk("SunPKCS11 clone scenarios")
                .assertOutputContains("OK SHA-256 original after clone() matches SUN", "the original continues")
                .assertOutputContains("OK SHA-256 clone() continuation matches SUN", "the clone continues")
                .assertOutputContains("OK SHA-512 clone() continuation matches SUN", "SHA-512 too");
    }

    @Test
    void keyStoreListsEveryKeyPairWithItsChainAndItsKeySignsForTheCertificate() {
        scenarios(Path.of(System.getProperty("java.home")), config, "keystore").run().assertOk("SunPKCS11 KeyStore scenarios")
                .assertOutputContains("OK k1 SHA256withECDSA by the token verifies with the certificate's key", "EC key")
                .assertOutputContains("OK k2 SHA256withRSA by the token verifies with the certificate's key", "RSA key")
                .assertOutputContains("OK k3 has a certificate chain (2)", "the CA reply gave k3 a two-certificate chain")
                .assertOutputContains("INFO k3 chain: CN=leaf issued by CN=Test CA", "leaf issued by the CA")
                .assertOutputContains("OK k3 SHA256withRSA by the token verifies with the certificate's key", "k3 signs")
                .assertOutputContains("INFO key entries: 3", "exactly the three key pairs");
    }

    /**
     * JDK 25's SunPKCS11 asks C_GetInterface for the default interface first. jhsm's C_GetFunctionList returns
     * the 2.40 list, so a 3.0 list in SunPKCS11 proves the interface call; pkcs11-spy, an independent recorder
     * between the two, shows the calls themselves, C_SessionCancel (3.0 only) among them.
     */
    @Test
    @DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "SoftHSM 2.6 has no PKCS#11 3.0 interface")
    void jdk25SunPkcs11TakesThePkcs11V3InterfaceAndItsFunctionsWork() throws Exception {
        if (!Files.isExecutable(JDK25.resolve("bin/java"))) {
            System.out.println("SKIPPED: no Temurin 25 at " + JDK25);
            Assumptions.abort("no Temurin 25 at " + JDK25);
        }
        String[] passes = {"OK SunPKCS11 holds the PKCS#11 3.0 function list", "OK SHA3-256 clone() continuation matches SUN",
            "OK SHA3-512 by the token matches SUN", "OK ChaCha20-Poly1305 by the token decrypts in SunJCE",
            "OK a Signature re-initialised midway signs only the new data"};
        // The host JVM did not enable native access: jhsm must not load ACCP's library there (JDK 24+ would print
        // "restricted method" warnings naming ACCP's Loader on the application's stderr), and runs the portable
        // code instead. (JNA, which the bridge itself runs on, still draws JDK 25's warning: not ACCP's doing.)
        Cmd.Result direct = scenarios(JDK25, config, "pkcs11v3").run().assertOk("SunPKCS11 on JDK 25")
                .assertOutputLacks("com.amazon.corretto", "no native-access warning for ACCP in the host's output");
        for (String pass : passes) {
            direct.assertOutputContains(pass, "JDK 25 through jhsm directly");
        }
        if (!Files.isRegularFile(SPY)) {
            System.out.println("SKIPPED the pkcs11-spy half: no " + SPY);
            return;
        }
        Path log = dir.resolve("spy.log");
        Path spyConfig = Files2.write(dir.resolve("spy.cfg"), ("name = spy\nlibrary = " + SPY + "\nslot = "
                + token.slotId() + "\n").getBytes());
        scenarios(JDK25, spyConfig, "pkcs11v3").env("PKCS11SPY", token.module().toString())
                .env("PKCS11SPY_OUTPUT", log.toString()).run().assertOk("SunPKCS11 on JDK 25 through pkcs11-spy")
                .assertOutputContains(passes[4], "through the spy");
        String calls = Files.readString(log);
        assertTrue(Pattern.compile("\\n0: C_GetInterface\\n[^\\n]*\\n\\[in\\] pInterfaceName = NULL\\n").matcher(calls).find(),
                "SunPKCS11's first call is C_GetInterface for the default interface:\n" + calls.substring(0, Math.min(600, calls.length())));
        assertTrue(Pattern.compile(": C_SessionCancel\\n[^\\n]*\\n\\[in\\] hSession = \\S+\\n\\[in\\] flags = [^\\n]*\\nReturned:  0 CKR_OK")
                .matcher(calls).find(),
                "SunPKCS11 cancelled an operation with C_SessionCancel, and jhsm answered CKR_OK");
    }
}
