package io.jhsm.itest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * p11-kit, the way the README tells people to use jhsm: registered as a p11-kit module (seen by GnuTLS),
 * and served by "p11-kit server" to processes that load only p11-kit-client.so (what a forking server needs,
 * since a JVM inside the module does not survive fork()). The token is a fresh local one here;
 * {@link NativeClientP11KitTest} registers and serves dist/libjhsm-client.so against a node instead.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class P11KitTest {
    static final String CLIENT = "/usr/lib/x86_64-linux-gnu/pkcs11/p11-kit-client.so";

    @TempDir static Path dir;
    ConsumerToken token;
    Path registration;

    /** The token p11-kit serves: a fresh local token of the module under test. */
    ConsumerToken openToken() {
        return TokenFixture.initialised(dir);
    }

    @BeforeAll
    void tokenWithKeysAndAUserModuleConfig() {
        token = openToken();
        token.asUser("--keypairgen", "--key-type", "rsa:2048", "--label", "rsa", "--id", "01").run().assertOk("RSA");
        token.asUser("--keypairgen", "--key-type", "EC:prime256v1", "--label", "ec", "--id", "02").run().assertOk("EC");
        // p11-kit reads per-user module files only for non-root users; as root (CI) the registration must be
        // system-wide, which is also what the README tells administrators to do.
        Path modules = isRoot() ? Path.of("/etc/pkcs11/modules") : dir.resolve("home/.config/pkcs11/modules");
        registration = Files2.mkdirs(modules).resolve("jhsm-itest-" + ProcessHandle.current().pid() + ".module");
        Files2.write(registration, ("module: " + token.module() + "\n").getBytes());
    }

    @AfterAll
    void removeRegistration() throws IOException {
        if (registration != null) {
            Files.deleteIfExists(registration);
        }
    }

    static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    /** A command that sees our p11-kit module registration (per-user config under a private HOME). */
    Cmd withP11KitConfig(String... argv) {
        return token.cmd(argv).env("HOME", dir.resolve("home").toString());
    }

    @Test
    void gnutlsFindsTheTokenThroughTheP11KitModuleFile() {
        withP11KitConfig("p11tool", "--list-tokens").run().assertOk("p11tool --list-tokens")
                .assertOutputContains("Label: " + token.label(), "the token is visible through p11-kit");
    }

    @ParameterizedTest(name = "{0} key")
    @ValueSource(strings = {"rsa", "ec"})
    void gnutlsSignsWithATokenKeyAndVerifiesAgainstThePublicKey(String key) {
        withP11KitConfig("p11tool", "--login", "--test-sign",
                "pkcs11:token=" + token.label() + ";object=" + key + ";type=private")
                .env("GNUTLS_PIN", token.userPin()).run().assertOk("p11tool --test-sign")
                .assertOutputContains("Verifying against public key in the token... ok", "GnuTLS verification");
    }

    @Test
    void p11KitServerServesTheTokenToAClientThatLoadsOnlyP11KitClient() {
        Path socket = token.file("p11-kit.sock");
        Path data = Files2.write(token.file("data.bin"), Files2.randomBytes(512));
        Path der = token.file("rsa.der");
        Path pem = token.file("rsa.pem");
        Path sig = token.file("remote.sig");
        Cmd server = token.cmd("p11-kit", "server", "--foreground", "--name", socket.toString(),
                "--provider", token.module().toString(), "pkcs11:token=" + token.label());

        try (Background srv = Background.start("p11-kit server", server, token.file("p11-kit-server.log"))) {
            srv.awaitOutput("P11_KIT_SERVER_ADDRESS", Duration.ofSeconds(60), "p11-kit server start");
            Cmd.of("pkcs11-tool", "--module", CLIENT, "--token-label", token.label(),
                    "--login", "--pin", token.userPin(), "--sign", "--id", "01", "--mechanism", "SHA256-RSA-PKCS",
                    "-i", data.toString(), "-o", sig.toString())
                    .env("P11_KIT_SERVER_ADDRESS", "unix:path=" + socket).run().assertOk("sign through p11-kit-client");
        }
        token.asUser("--read-object", "--type", "pubkey", "--id", "01", "-o", der.toString()).run().assertOk("pubkey");
        Cmd.of("openssl", "pkey", "-pubin", "-inform", "DER", "-in", der.toString(), "-out", pem.toString())
                .run().assertOk("openssl reads the public key");
        Cmd.of("openssl", "dgst", "-sha256", "-verify", pem.toString(), "-signature", sig.toString(), data.toString())
                .run().assertOk("openssl verifies the signature made through p11-kit server");
    }
}
