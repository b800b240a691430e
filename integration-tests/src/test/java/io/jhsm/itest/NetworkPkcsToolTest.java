package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * pkcs11-tool (OpenSC) against an HSM node started by {@code cluster up --quick-start}: keys generated in the
 * cluster by the crypto user alice, every private-key result checked by plain OpenSSL or sha256sum, which never
 * talk to the node. Only JHSM_CONF=client.conf leads pkcs11-tool to the keys, so each call crossed the network.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "the network HSM is jhsm's own")
class NetworkPkcsToolTest {
    static final String IV = "000102030405060708090a0b0c0d0e0f";

    /**
     * The pkcs11 profile: this test is about pkcs11-tool's generic PKCS#11 use over the network. Under the cluster's
     * own cloudhsm profile pkcs11-tool's key pair generation (CKA_PRIVATE FALSE on the public key) is refused, as
     * CloudHSM refuses it (OpenSC issue 2747; PyKcs11CloudHsmKeysTest shows the rule).
     */
    @RegisterExtension static final NetworkHsmFixture hsm = NetworkHsmFixture.withProfile("pkcs11");
    static Path data;

    @BeforeAll
    static void aliceGeneratesRsaEcAndAesKeysInTheCluster() {
        hsm.asAlice("--keypairgen", "--key-type", "rsa:2048", "--label", "rsa", "--id", "01")
                .run().assertOk("RSA-2048 key pair generation through the node");
        hsm.asAlice("--keypairgen", "--key-type", "EC:prime256v1", "--label", "ec", "--id", "02")
                .run().assertOk("EC P-256 key pair generation through the node");
        hsm.asAlice("--keygen", "--key-type", "AES:32", "--label", "aes", "--id", "03")
                .run().assertOk("AES-256 key generation through the node")
                .assertOutputContains("AES length 32", "the node reports a 32-byte AES key");
        data = Files2.write(hsm.file("data.bin"), Files2.randomBytes(1000 + 7)); // not a block multiple
    }

    /** The public key read out of the cluster as DER, converted to PEM by openssl (which checks it parses). */
    static Path publicKeyPem(String id) {
        Path der = hsm.file("pub-" + id + ".der");
        Path pem = hsm.file("pub-" + id + ".pem");
        hsm.asAlice("--read-object", "--type", "pubkey", "--id", id, "-o", der.toString())
                .run().assertOk("read public key " + id + " through the node");
        Cmd.of("openssl", "pkey", "-pubin", "-inform", "DER", "-in", der.toString(), "-out", pem.toString())
                .run().assertOk("openssl parses the public key the node returned");
        return pem;
    }

    static Path sign(String id, String file, String... mechanismArgs) {
        Path sig = hsm.file(file);
        hsm.asAlice("--sign", "--id", id, "-i", data.toString(), "-o", sig.toString()).args(mechanismArgs)
                .run().assertOk("sign through the node with " + String.join(" ", mechanismArgs));
        return sig;
    }

    static Cmd.Result opensslVerifies(Path pem, Path sig, String... digestOptions) {
        return Cmd.of("openssl", "dgst", "-sha256").args(digestOptions)
                .args("-verify", pem.toString(), "-signature", sig.toString(), data.toString()).run()
                .assertOk("openssl verifies the node's signature").assertOutputContains("Verified OK", "verification");
    }

    @Test
    void rsaKeyGeneratedThroughTheNodeIs2048BitsAndItsPkcs1SignatureVerifiesWithOpenssl() {
        Path pem = publicKeyPem("01");
        Cmd.of("openssl", "pkey", "-pubin", "-in", pem.toString(), "-noout", "-text").run()
                .assertOk("openssl describes the RSA key").assertOutputContains("2048 bit", "RSA key size");
        opensslVerifies(pem, sign("01", "rsa-pkcs1.sig", "--mechanism", "SHA256-RSA-PKCS"));
    }

    @Test
    void rsaPssSignatureFromTheNodeVerifiesWithOpenssl() {
        Path sig = sign("01", "rsa-pss.sig", "--mechanism", "SHA256-RSA-PKCS-PSS", "--mgf", "MGF1-SHA256");
        opensslVerifies(publicKeyPem("01"), sig, "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_mgf1_md:sha256",
                "-sigopt", "rsa_pss_saltlen:32");
    }

    @Test
    void ecdsaP256SignatureFromTheNodeVerifiesWithOpenssl() {
        Path pem = publicKeyPem("02");
        Cmd.of("openssl", "pkey", "-pubin", "-in", pem.toString(), "-noout", "-text").run()
                .assertOk("openssl describes the EC key").assertOutputContains("prime256v1", "EC curve");
        opensslVerifies(pem, sign("02", "ecdsa.sig", "--mechanism", "ECDSA-SHA256", "--signature-format", "openssl"));
    }

    @Test
    void theNodeDecryptsOaepSha256CiphertextMadeByOpenssl() {
        byte[] secret = Files2.randomBytes(64);
        Path plain = Files2.write(hsm.file("oaep.plain"), secret);
        Path ct = hsm.file("oaep.ct");
        Path back = hsm.file("oaep.back");
        Cmd.of("openssl", "pkeyutl", "-encrypt", "-pubin", "-inkey", publicKeyPem("01").toString(),
                "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256", "-pkeyopt", "rsa_mgf1_md:sha256",
                "-in", plain.toString(), "-out", ct.toString()).run().assertOk("openssl OAEP-SHA256 encryption");
        hsm.asAlice("--decrypt", "--id", "01", "--mechanism", "RSA-PKCS-OAEP", "--hash-algorithm", "SHA256",
                "--mgf", "MGF1-SHA256", "-i", ct.toString(), "-o", back.toString()).run()
                .assertOk("OAEP-SHA256 decryption through the node");
        assertArrayEquals(secret, Files2.read(back), "the node recovers what openssl encrypted");
    }

    Path aesCbcPad(String mode, String id, Path in, String outName) {
        Path out = hsm.file(outName);
        hsm.asAlice(mode, "--id", id, "--mechanism", "AES-CBC-PAD", "--iv", IV, "-i", in.toString(), "-o", out.toString())
                .run().assertOk("AES-CBC-PAD " + mode + " through the node with key " + id);
        return out;
    }

    @Test
    void aesCbcPadRoundTripsThroughTheNode() {
        Path ct = aesCbcPad("--encrypt", "03", data, "aes.ct");
        assertEquals(1008, Files2.read(ct).length, "PKCS#7 padding rounds 1007 bytes up to 1008");
        assertFalse(Arrays.equals(Files2.read(data), Arrays.copyOf(Files2.read(ct), 1007)), "the ciphertext differs");
        assertArrayEquals(Files2.read(data), Files2.read(aesCbcPad("--decrypt", "03", ct, "aes.back")),
                "decryption through the node gives the plaintext back");
    }

    /** A known key imported into the cluster encrypts exactly as openssl does with the same key and IV. */
    @Test
    void anImportedAesKeyEncryptsThroughTheNodeExactlyLikeOpenssl() {
        byte[] key = Files2.randomBytes(32);
        Path keyFile = Files2.write(hsm.file("aes.key"), key);
        hsm.asAlice("--write-object", keyFile.toString(), "--type", "secrkey", "--key-type", "AES:32",
                "--label", "aes-known", "--id", "04", "--usage-decrypt").run().assertOk("import a known AES key");
        Path opensslCt = hsm.file("known.openssl.ct");
        Cmd.of("openssl", "enc", "-aes-256-cbc", "-K", Files2.hex(key), "-iv", IV,
                "-in", data.toString(), "-out", opensslCt.toString()).run().assertOk("openssl enc");
        assertArrayEquals(Files2.read(opensslCt), Files2.read(aesCbcPad("--encrypt", "04", data, "known.ct")),
                "the node's and openssl's ciphertexts are equal");
    }

    @Test
    void sha256DigestFromTheNodeEqualsSha256sum() {
        Path digest = hsm.file("data.sha256");
        hsm.pkcs11Tool("--hash", "--mechanism", "SHA256", "-i", data.toString(), "-o", digest.toString())
                .run().assertOk("SHA-256 through the node");
        String expected = Cmd.of("sha256sum", data.toString()).run().assertOk("sha256sum").output().split(" ")[0];
        assertEquals(expected, Files2.hex(Files2.read(digest)), "the node's digest equals sha256sum's");
    }

    /**
     * pkcs11-tool's own battery fits a cluster's rules: it logs in as the crypto user, uses the keys above (the
     * admin never uses keys on a cluster, and --test does not need it), and creates or changes nothing that
     * CloudHSM's modifiable-attribute list forbids. --allow-sw: the signature section otherwise skips
     * mechanisms without CKF_HW.
     */
    @Test
    void pkcs11ToolSelfTestPassesThroughTheNode() {
        hsm.asAlice("--test", "--allow-sw").run().assertOk("pkcs11-tool --test through the node")
                .assertOutputContains("SHA256-RSA-PKCS: OK", "the RSA key signed with its hashing mechanisms")
                .assertOutputContains("RSA-PKCS-OAEP: ", "the RSA key decrypted OAEP")
                .assertOutputContains("No errors", "every check passed");
    }
}
