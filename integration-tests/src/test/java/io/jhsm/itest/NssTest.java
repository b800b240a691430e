package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * NSS (Firefox, Thunderbird, certutil) with the module registered in a private sql: database by modutil.
 * Keys NSS generates on the token are checked by OpenSSL through the self-signature of the requests it makes.
 */
class NssTest {
    @TempDir static Path dir;
    static TokenFixture token;
    static Path db;
    static Path pinFile;
    static Path noise;

    @BeforeAll
    static void nssDatabaseWithTheModuleRegistered() {
        token = TokenFixture.initialised(dir);
        db = Files2.mkdirs(dir.resolve("nssdb"));
        pinFile = Files2.write(dir.resolve("pin.txt"), (TokenFixture.USER_PIN + "\n").getBytes());
        noise = Files2.write(dir.resolve("noise.bin"), Files2.randomBytes(2048));
        token.cmd("certutil", "-N", "-d", nssDb(), "--empty-password").run().assertOk("certutil -N");
        token.cmd("modutil", "-dbdir", nssDb(), "-add", "jhsm", "-libfile", token.module().toString(), "-force")
                .run().assertOk("modutil -add");
    }

    static String nssDb() { return "sql:" + db; }

    /** certutil against the token, authenticated with the user PIN from a file. */
    static Cmd certutil(String... args) {
        return token.cmd("certutil", "-d", nssDb(), "-f", pinFile.toString()).args(args);
    }

    static Path request(String file, String... keyArgs) {
        Path req = dir.resolve(file);
        certutil("-R", "-h", TokenFixture.LABEL, "-s", "CN=nss-test", "-a", "-o", req.toString(),
                "-z", noise.toString()).args(keyArgs).run().assertOk("certutil -R " + String.join(" ", keyArgs));
        return req;
    }

    static void assertSelfSignatureVerifies(Path req) {
        Cmd.of("openssl", "req", "-verify", "-in", req.toString(), "-noout").run()
                .assertOk("openssl verifies the request NSS signed on the token")
                .assertOutputContains("verify OK", "CSR self-signature");
    }

    @Test
    void modutilListsTheTokenOfTheAddedModule() {
        token.cmd("modutil", "-dbdir", nssDb(), "-list").run().assertOk("modutil -list")
                .assertOutputContains("library name: " + token.module(), "the module is registered")
                .assertOutputContains("token: " + TokenFixture.LABEL, "the module's token is seen by NSS");
    }

    @Test
    void certutilListsAKeyPairGeneratedByPkcs11Tool() {
        token.asUser("--keypairgen", "--key-type", "EC:prime256v1", "--label", "listed", "--id", "a1")
                .run().assertOk("EC key pair generation");
        certutil("-K", "-h", TokenFixture.LABEL).run().assertOk("certutil -K")
                .assertOutputContains("listed", "the key's CKA_LABEL is its NSS nickname");
    }

    @Test
    void certutilGeneratesAnRsa2048KeyOnTheTokenAndSignsARequestWithIt() {
        Path req = request("rsa.csr", "-k", "rsa", "-g", "2048");
        assertSelfSignatureVerifies(req);
        Cmd.of("openssl", "req", "-in", req.toString(), "-noout", "-text").run().assertOk("openssl req -text")
                .assertOutputContains("Public-Key: (2048 bit)", "key size")
                .assertOutputContains("sha256WithRSAEncryption", "NSS's default CSR signature algorithm");
    }

    @Test
    void certutilGeneratesAP256KeyOnTheTokenAndSignsARequestWithIt() {
        Path req = request("ec.csr", "-k", "ec", "-q", "nistp256");
        assertSelfSignatureVerifies(req);
        Cmd.of("openssl", "req", "-in", req.toString(), "-noout", "-text").run().assertOk("openssl req -text")
                .assertOutputContains("prime256v1", "curve");
    }

    @Test
    void certutilSignsARequestWithAnExistingTokenKeySelectedByItsId() {
        token.asUser("--keypairgen", "--key-type", "EC:prime256v1", "--label", "existing", "--id", "0a0b")
                .run().assertOk("EC key pair generation");
        Path req = request("existing.csr", "-k", "0a0b");
        assertSelfSignatureVerifies(req);

        Path der = dir.resolve("existing.der");
        token.asUser("--read-object", "--type", "pubkey", "--id", "0a0b", "-o", der.toString())
                .run().assertOk("read the public key");
        String fromToken = Cmd.of("openssl", "pkey", "-pubin", "-inform", "DER", "-in", der.toString())
                .run().assertOk("openssl reads the token's public key").output();
        String inRequest = Cmd.of("openssl", "req", "-in", req.toString(), "-noout", "-pubkey")
                .run().assertOk("openssl reads the request's public key").output();
        assertEquals(fromToken, inRequest, "the request carries the public key of the token key it was asked for");
    }
}
