package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Symmetric encryption and digests through pkcs11-tool, compared byte for byte with OpenSSL. */
class PkcsToolCipherTest {
    static final String IV = "000102030405060708090a0b0c0d0e0f";

    @TempDir static Path dir;
    static TokenFixture token;
    static Path plain;

    @BeforeAll
    static void initialisedToken() {
        token = TokenFixture.initialised(dir);
        plain = Files2.write(dir.resolve("plain.bin"), Files2.randomBytes(1000 + 7)); // not a block multiple
    }

    Path aesCbcPad(String mode, String id, Path in, String outName) {
        Path out = dir.resolve(outName);
        token.asUser(mode, "--id", id, "--mechanism", "AES-CBC-PAD", "--iv", IV,
                "-i", in.toString(), "-o", out.toString()).run().assertOk("AES-CBC-PAD " + mode + " with key " + id);
        return out;
    }

    @Test
    void generatedAes256KeyRoundTripsAesCbcPad() {
        token.asUser("--keygen", "--key-type", "AES:32", "--label", "aes-gen", "--id", "10").run()
                .assertOk("AES-256 key generation")
                .assertOutputContains("AES length 32", "the token reports a 32-byte AES key");

        Path ct = aesCbcPad("--encrypt", "10", plain, "gen.ct");
        assertEquals(1008, Files2.read(ct).length, "PKCS#7 padding rounds 1007 bytes up to 1008");
        assertFalse(Arrays.equals(Files2.read(plain), Arrays.copyOf(Files2.read(ct), 1007)), "ciphertext differs");
        assertArrayEquals(Files2.read(plain), Files2.read(aesCbcPad("--decrypt", "10", ct, "gen.back")));
    }

    @Test
    void importedAesKeyEncryptsExactlyLikeOpensslAndDecryptsOpensslCiphertext() {
        byte[] key = Files2.randomBytes(32);
        Path keyFile = Files2.write(dir.resolve("aes.key"), key);
        token.asUser("--write-object", keyFile.toString(), "--type", "secrkey", "--key-type", "AES:32",
                "--label", "aes-known", "--id", "11", "--usage-decrypt").run().assertOk("import a known AES key");

        Path tokenCt = aesCbcPad("--encrypt", "11", plain, "known.ct");
        Path opensslCt = dir.resolve("known.openssl.ct");
        Cmd.of("openssl", "enc", "-aes-256-cbc", "-K", Files2.hex(key), "-iv", IV,
                "-in", plain.toString(), "-out", opensslCt.toString()).run().assertOk("openssl enc");
        assertArrayEquals(Files2.read(opensslCt), Files2.read(tokenCt), "token and openssl ciphertexts are equal");

        assertArrayEquals(Files2.read(plain), Files2.read(aesCbcPad("--decrypt", "11", opensslCt, "known.back")),
                "the token decrypts openssl's ciphertext");
    }

    @Test
    void sha256DigestEqualsOpenssl() {
        Path digest = dir.resolve("plain.sha256");
        token.pkcs11Tool("--hash", "--mechanism", "SHA256", "-i", plain.toString(), "-o", digest.toString())
                .run().assertOk("token SHA-256");
        String expected = Cmd.of("openssl", "dgst", "-sha256", "-r", plain.toString()).run()
                .assertOk("openssl dgst").output().split(" ")[0];
        assertEquals(expected, Files2.hex(Files2.read(digest)), "token digest equals openssl's");
    }
}
