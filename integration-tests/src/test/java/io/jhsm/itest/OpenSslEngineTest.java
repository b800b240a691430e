package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * OpenSSL 3 using token keys through the libp11 engine ("-engine pkcs11 -keyform engine -key pkcs11:..."),
 * with every result checked by plain OpenSSL that never sees the token.
 */
class OpenSslEngineTest {
    static final String ENGINE = "/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so";

    @TempDir static Path dir;
    static TokenFixture token;
    static Path engineConf;

    @BeforeAll
    static void tokenWithRsaAndEcKeys() {
        token = TokenFixture.initialised(dir);
        token.asUser("--keypairgen", "--key-type", "rsa:2048", "--label", "rsa", "--id", "01").run().assertOk("RSA");
        token.asUser("--keypairgen", "--key-type", "EC:prime256v1", "--label", "ec", "--id", "02").run().assertOk("EC");
        engineConf = engineConfig(dir.resolve("openssl-engine.cnf"), token.module());
    }

    /** An OPENSSL_CONF file that loads the libp11 engine for {@code module}. */
    static Path engineConfig(Path file, Path module) {
        return engineConfig(file, module, null);
    }

    /**
     * The same with the user's PIN in the engine section (libp11's PIN), as a server that loads its key at start-up
     * without a prompt needs it: the file is then readable by its owner only.
     */
    static Path engineConfig(Path file, Path module, String pin) {
        String conf = String.join("\n",
                "openssl_conf = openssl_init",
                "[openssl_init]", "engines = engine_section",
                "[engine_section]", "pkcs11 = pkcs11_section",
                "[pkcs11_section]", "engine_id = pkcs11", "dynamic_path = " + ENGINE,
                "MODULE_PATH = " + module, "init = 0", "");
        if (pin == null) return Files2.write(file, conf.getBytes());
        return Files2.write(Files2.ownerOnly(Files2.write(file, new byte[0])), (conf + "PIN = " + pin + "\n").getBytes());
    }

    /** openssl with the libp11 engine configured for the module under test and this token's environment. */
    static Cmd opensslWithEngine(String... args) {
        return token.cmd("openssl").args(args).env("OPENSSL_CONF", engineConf.toString());
    }

    static Path selfSignedCert(String key) {
        Path cert = dir.resolve(key + ".crt.pem");
        opensslWithEngine("req", "-new", "-x509", "-sha256", "-days", "2", "-subj", "/CN=jhsm-" + key,
                "-engine", "pkcs11", "-keyform", "engine", "-key", token.privateKeyUri(key), "-out", cert.toString())
                .run().assertOk("openssl req -x509 with the " + key + " key in the token");
        return cert;
    }

    static String tokenPublicKeyPem(String id) {
        Path der = dir.resolve("pub-" + id + ".der");
        token.asUser("--read-object", "--type", "pubkey", "--id", id, "-o", der.toString()).run().assertOk("read pubkey");
        return Cmd.of("openssl", "pkey", "-pubin", "-inform", "DER", "-in", der.toString()).run()
                .assertOk("openssl parses the token's public key").output();
    }

    @ParameterizedTest(name = "{0} key")
    @ValueSource(strings = {"rsa", "ec"})
    void selfSignedCertificateMadeWithATokenKeyVerifiesWithPlainOpenssl(String key) {
        Path cert = selfSignedCert(key);

        Cmd.of("openssl", "verify", "-CAfile", cert.toString(), cert.toString()).run()
                .assertOk("openssl verify").assertOutputContains(": OK", "the self-signature verifies");
        String certKey = Cmd.of("openssl", "x509", "-in", cert.toString(), "-noout", "-pubkey").run()
                .assertOk("openssl x509 -pubkey").output();
        assertEquals(tokenPublicKeyPem(key.equals("rsa") ? "01" : "02"), certKey,
                "the certificate carries the token's public key");
    }

    @ParameterizedTest(name = "{0} key")
    @ValueSource(strings = {"rsa", "ec"})
    void tlsServerWithATokenKeyCompletesAVerifiedHandshakeAndExchangesData(String key) throws IOException {
        Path cert = selfSignedCert(key);
        int port = freeLoopbackPort();
        Cmd server = opensslWithEngine("s_server", "-accept", "127.0.0.1:" + port, "-naccept", "1",
                "-engine", "pkcs11", "-keyform", "engine", "-key", token.privateKeyUri(key), "-cert", cert.toString());
        Cmd client = Cmd.of("openssl", "s_client", "-connect", "127.0.0.1:" + port,
                "-verify_return_error", "-CAfile", cert.toString());

        try (Background srv = Background.start("s_server", server, dir.resolve("s_server-" + key + ".log"))) {
            srv.awaitOutput("ACCEPT", Duration.ofSeconds(60), "server start");
            srv.send("hello from the server");
            try (Background cli = Background.start("s_client", client, dir.resolve("s_client-" + key + ".log"))) {
                cli.awaitOutput("hello from the server", Duration.ofSeconds(60), "client receives the server's line");
                cli.send("hello from the client");
                srv.awaitOutput("hello from the client", Duration.ofSeconds(30), "server receives the client's line");
                cli.awaitOutput("Verify return code: 0 (ok)", Duration.ofSeconds(5), "certificate verification");
            }
        }
    }

    static int freeLoopbackPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
