package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * Key pairs generated in the token through pkcs11-tool; every private-key operation is checked by OpenSSL
 * using only the public key read back out of the token.
 */
class PkcsToolSignatureTest {
    @TempDir static Path dir;
    static TokenFixture token;
    static Path data;

    @BeforeAll
    static void tokenWithAnRsaAndAnEcKey() {
        token = TokenFixture.initialised(dir);
        token.asUser("--keypairgen", "--key-type", "rsa:2048", "--label", "rsa", "--id", "01")
                .run().assertOk("RSA-2048 key pair generation");
        token.asUser("--keypairgen", "--key-type", "EC:prime256v1", "--label", "ec", "--id", "02")
                .run().assertOk("EC P-256 key pair generation");
        data = Files2.write(dir.resolve("data.bin"), Files2.randomBytes(1000));
    }

    /** Reads the public key object out of the token as DER and converts it to PEM with openssl. */
    static Path publicKeyPem(String id) {
        Path der = dir.resolve("pub-" + id + ".der");
        Path pem = dir.resolve("pub-" + id + ".pem");
        token.asUser("--read-object", "--type", "pubkey", "--id", id, "-o", der.toString())
                .run().assertOk("read public key " + id);
        Cmd.of("openssl", "pkey", "-pubin", "-inform", "DER", "-in", der.toString(), "-out", pem.toString())
                .run().assertOk("openssl parses the exported public key " + id);
        return pem;
    }

    static Path sign(String id, String file, String... mechanismArgs) {
        Path sig = dir.resolve(file);
        token.asUser("--sign", "--id", id, "-i", data.toString(), "-o", sig.toString())
                .args(mechanismArgs).run().assertOk("sign with " + String.join(" ", mechanismArgs));
        return sig;
    }

    @Test
    void generatedRsaKeyIs2048Bits() {
        Cmd.of("openssl", "pkey", "-pubin", "-in", publicKeyPem("01").toString(), "-noout", "-text").run()
                .assertOk("openssl describes the RSA key").assertOutputContains("2048 bit", "RSA key size");
    }

    @Test
    void generatedEcKeyIsOnP256() {
        Cmd.of("openssl", "pkey", "-pubin", "-in", publicKeyPem("02").toString(), "-noout", "-text").run()
                .assertOk("openssl describes the EC key").assertOutputContains("prime256v1", "EC curve");
    }

    @Test
    void sha256RsaPkcs1SignatureVerifiesWithOpenssl() {
        Path sig = sign("01", "rsa-pkcs1.sig", "--mechanism", "SHA256-RSA-PKCS");
        Cmd.of("openssl", "dgst", "-sha256", "-verify", publicKeyPem("01").toString(),
                "-signature", sig.toString(), data.toString()).run()
                .assertOk("openssl verifies SHA256-RSA-PKCS").assertOutputContains("Verified OK", "verification");
    }

    @Test
    void rsaPssSha256SignatureVerifiesWithOpenssl() {
        assertOpensslVerifiesPss("sha256", "MGF1-SHA256");
    }

    /** The token signs SHA256-RSA-PKCS-PSS (salt 32) with the given MGF1; openssl verifies with the same parameters. */
    static void assertOpensslVerifiesPss(String mgf1Digest, String mgf) {
        Path sig = sign("01", "rsa-pss-" + mgf + ".sig", "--mechanism", "SHA256-RSA-PKCS-PSS", "--mgf", mgf);
        Cmd.of("openssl", "dgst", "-sha256", "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_mgf1_md:" + mgf1Digest,
                "-sigopt", "rsa_pss_saltlen:32", "-verify", publicKeyPem("01").toString(),
                "-signature", sig.toString(), data.toString()).run()
                .assertOk("openssl verifies RSA-PSS(SHA-256, " + mgf + ", salt 32)")
                .assertOutputContains("Verified OK", "verification");
    }

    @Test
    @DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm",
            disabledReason = "SoftHSM 2.6 has no CKM_ECDSA_SHA256 (CKR_MECHANISM_INVALID); covered by raw ECDSA below")
    void ecdsaSha256SignatureVerifiesWithOpenssl() {
        Path sig = sign("02", "ecdsa-sha256.sig", "--mechanism", "ECDSA-SHA256", "--signature-format", "openssl");
        Cmd.of("openssl", "dgst", "-sha256", "-verify", publicKeyPem("02").toString(),
                "-signature", sig.toString(), data.toString()).run()
                .assertOk("openssl verifies ECDSA-SHA256").assertOutputContains("Verified OK", "verification");
    }

    @Test
    void rawEcdsaOverAnOpensslDigestVerifiesWithOpenssl() {
        Path digest = dir.resolve("data.sha256");
        Cmd.of("openssl", "dgst", "-sha256", "-binary", "-out", digest.toString(), data.toString())
                .run().assertOk("openssl digest");
        Path sig = dir.resolve("ecdsa-raw.sig");
        token.asUser("--sign", "--id", "02", "--mechanism", "ECDSA", "--signature-format", "openssl",
                "-i", digest.toString(), "-o", sig.toString()).run().assertOk("raw ECDSA sign");
        Cmd.of("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", publicKeyPem("02").toString(),
                "-in", digest.toString(), "-sigfile", sig.toString()).run()
                .assertOk("openssl verifies raw ECDSA").assertOutputContains("Verified Successfully", "verification");
    }

    /** PKCS#11 sets no rule on the MGF1 hash (RFC 8017 lets it differ from the message hash). */
    @Test
    @DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm",
            disabledReason = "SoftHSM 2.6 requires the PSS MGF1 hash to be hashAlg (CKR_ARGUMENTS_BAD)")
    void rsaPssWithAnotherMgf1HashVerifiesWithOpenssl() {
        assertOpensslVerifiesPss("sha512", "MGF1-SHA512");
    }

    @Test
    @DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm",
            disabledReason = "SoftHSM 2.6 implements RSA-OAEP with SHA-1 only (C_DecryptInit: CKR_ARGUMENTS_BAD)")
    void tokenDecryptsOaepSha256CiphertextMadeByOpenssl() {
        assertTokenDecryptsOpensslOaep("sha256", "MGF1-SHA256");
    }

    @Test
    @DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm",
            disabledReason = "SoftHSM 2.6 implements RSA-OAEP with SHA-1 only (C_DecryptInit: CKR_ARGUMENTS_BAD)")
    void tokenDecryptsOaepSha256WithMgf1Sha1MadeByOpenssl() {
        assertTokenDecryptsOpensslOaep("sha1", "MGF1-SHA1");
    }

    /** OpenSSL encrypts with OAEP(SHA-256, the given MGF1) under the token's public key; the token decrypts it. */
    static void assertTokenDecryptsOpensslOaep(String mgf1Digest, String mgf) {
        byte[] secret = Files2.randomBytes(64);
        Path plain = Files2.write(dir.resolve("oaep.plain"), secret);
        Path ct = dir.resolve("oaep-" + mgf + ".ct");
        Path back = dir.resolve("oaep-" + mgf + ".back");
        Cmd.of("openssl", "pkeyutl", "-encrypt", "-pubin", "-inkey", publicKeyPem("01").toString(),
                "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:" + mgf1Digest,
                "-in", plain.toString(), "-out", ct.toString()).run().assertOk("openssl OAEP-SHA256 encryption, " + mgf);
        token.asUser("--decrypt", "--id", "01", "--mechanism", "RSA-PKCS-OAEP", "--hash-algorithm", "SHA256",
                "--mgf", mgf, "-i", ct.toString(), "-o", back.toString()).run()
                .assertOk("token OAEP-SHA256 decryption, " + mgf);
        assertArrayEquals(secret, Files2.read(back), "the token recovers what openssl encrypted");
    }
}
