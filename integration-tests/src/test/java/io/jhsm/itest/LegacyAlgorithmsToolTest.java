package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * A token configured with {@code legacy-algorithms = true} (SoftHSM offers MD5 and RSA-1024 always), driven by
 * real consumers: pkcs11-tool makes a 1024-bit RSA key, signs with MD5-RSA-PKCS and hashes with MD5, PyKCS11
 * encrypts with single DES; OpenSSL checks every result independently.
 */
class LegacyAlgorithmsToolTest {
    static final String DES_KEY = "0123456789abcdef";
    static final String IV = "0011223344556677";

    @TempDir static Path dir;
    static TokenFixture token;
    static Path data;

    @BeforeAll
    static void legacyToken() {
        token = TokenFixture.initialised(dir, "legacy-algorithms = true");
        data = Files2.write(dir.resolve("data.bin"), Files2.randomBytes(64));
    }

    @Test
    void rsa1024KeySignsMd5RsaPkcsThatOpensslVerifies() {
        token.asUser("--keypairgen", "--key-type", "rsa:1024", "--label", "rsa1024", "--id", "41").run()
                .assertOk("RSA-1024 key pair generation").assertOutputContains("RSA 1024 bits", "a 1024-bit key");
        Path sig = dir.resolve("md5.sig");
        token.asUser("--sign", "--id", "41", "--mechanism", "MD5-RSA-PKCS", "-i", data.toString(), "-o", sig.toString())
                .run().assertOk("sign with MD5-RSA-PKCS");
        Path der = dir.resolve("pub.der");
        Path pem = dir.resolve("pub.pem");
        token.asUser("--read-object", "--type", "pubkey", "--id", "41", "-o", der.toString()).run().assertOk("read public key");
        Cmd.of("openssl", "pkey", "-pubin", "-inform", "DER", "-in", der.toString(), "-out", pem.toString()).run()
                .assertOk("openssl parses the public key");
        Cmd.of("openssl", "dgst", "-md5", "-verify", pem.toString(), "-signature", sig.toString(), data.toString()).run()
                .assertOk("openssl verifies MD5 with RSA").assertOutputContains("Verified OK", "verification");
    }

    @Test
    void md5DigestEqualsOpenssls() {
        Path out = dir.resolve("md5.bin");
        token.pkcs11Tool("--hash", "--mechanism", "MD5", "-i", data.toString(), "-o", out.toString()).run()
                .assertOk("pkcs11-tool --hash MD5");
        Path expected = dir.resolve("md5.openssl");
        Cmd.of("openssl", "dgst", "-md5", "-binary", "-out", expected.toString(), data.toString()).run().assertOk("openssl MD5");
        assertArrayEquals(Files2.read(expected), Files2.read(out));
    }

    /** pkcs11-tool 0.23 encrypts with AES only, so a Python application drives DES; OpenSSL's legacy provider checks it. */
    @Test
    @DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm",
            disabledReason = "Debian 12's SoftHSM 2.6 answers CKR_MECHANISM_INVALID for CKM_DES_CBC (its OpenSSL 3 has no DES by default)")
    void desCbcThroughPyKcs11EqualsOpensslDes() {
        Path script = ModuleUnderTest.repoRoot().resolve("integration-tests/src/test/python/pykcs11_des_cbc.py");
        byte[] plain = Files2.read(data);
        Cmd.Result r = token.cmd(PyKcs11Test.PYTHON, script.toString(), token.module().toString(), TokenFixture.LABEL,
                TokenFixture.USER_PIN, DES_KEY, IV, Files2.hex(plain)).run().assertOk("PyKCS11 DES script");
        Matcher m = Pattern.compile("\"des_cbc\": \"(\\w+)\", \"des_cbc_pad\": \"(\\w+)\", \"decrypted\": \"(\\w*)\"").matcher(r.output());
        if (!m.find()) throw new AssertionError("no JSON line in the script's output:\n" + r.describe());
        assertEquals(Files2.hex(opensslDes(plain, true)), m.group(1), "DES-CBC equals openssl des-cbc -nopad");
        byte[] short61 = Arrays.copyOf(plain, plain.length - 3);
        assertEquals(Files2.hex(opensslDes(short61, false)), m.group(2), "DES-CBC-PAD equals openssl des-cbc (PKCS#7)");
        assertEquals(Files2.hex(short61), m.group(3), "DES-CBC-PAD decrypts back");
    }

    /** Without the setting jhsm offers none of them and refuses a 1024-bit key, as CloudHSM does. */
    @Test
    @DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "SoftHSM always offers MD5 and RSA-1024")
    void aDefaultJhsmTokenOffersNoLegacyAlgorithm(@TempDir Path other) {
        TokenFixture plain = TokenFixture.initialised(other);
        plain.pkcs11Tool("--list-mechanisms").run().assertOk("pkcs11-tool -M")
                .assertOutputLacks("DES-CBC", "no single DES").assertOutputLacks("MD5", "no MD5")
                .assertOutputContains("RSA-PKCS-KEY-PAIR-GEN, keySize={2048,8192}", "RSA from 2048 bits");
        plain.asUser("--keypairgen", "--key-type", "rsa:1024", "--label", "small", "--id", "42").run()
                .assertFails("RSA-1024 key pair generation").assertOutputContains("CKR_KEY_SIZE_RANGE", "the reason");
    }

    private static byte[] opensslDes(byte[] plain, boolean noPad) {
        Path in = Files2.write(dir.resolve("des.in"), plain);
        Path out = dir.resolve("des.out");
        Cmd c = Cmd.of("openssl", "enc", "-des-cbc", "-provider", "legacy", "-provider", "default", "-K", DES_KEY, "-iv", IV,
                "-in", in.toString(), "-out", out.toString());
        if (noPad) {
            c.args("-nopad");
        }
        c.run().assertOk("openssl des-cbc");
        return Files2.read(out);
    }
}
