package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * PyKCS11 (python3-pykcs11) against an HSM node: the same Python application as PyKcs11Test
 * (src/test/python/pykcs11_ec_sign.py) finds the cluster by its label, logs in as alice, generates an EC P-256
 * key pair in the cluster and signs; the JDK verifies the signatures with the public key read back through the node.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "the network HSM is jhsm's own")
class NetworkPyKcs11Test {
    static final Path SCRIPT = ModuleUnderTest.repoRoot().resolve("integration-tests/src/test/python/pykcs11_ec_sign.py");
    /** The script's CKA_ID, "py". */
    static final String KEY_ID = "7079";

    @RegisterExtension static final NetworkHsmFixture hsm = new NetworkHsmFixture();
    static byte[] data;
    static String json;

    @BeforeAll
    static void pythonGeneratesAKeyInTheClusterAndSigns() {
        data = Files2.randomBytes(777);
        Cmd.Result r = hsm.cmd(PyKcs11Test.PYTHON, SCRIPT.toString(), hsm.module().toString(), hsm.tokenLabel(),
                NetworkHsmFixture.alicePin(), Files2.hex(data)).run().assertOk("PyKCS11 script through the node");
        Matcher m = Pattern.compile("(?m)^\\{.*\\}$").matcher(r.output());
        if (!m.find()) throw new AssertionError("no JSON line in the script's output:\n" + r.describe());
        json = m.group();
    }

    static String field(String name) {
        Matcher m = Pattern.compile("\"" + name + "\": (\"([^\"]*)\"|[^,}]+)").matcher(json);
        if (!m.find()) throw new AssertionError("no \"" + name + "\" in " + json);
        return m.group(2) != null ? m.group(2) : m.group(1).trim();
    }

    static boolean jdkVerifies(String signatureField) throws GeneralSecurityException {
        Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
        v.initVerify(hsm.publicKey("EC", "--id", KEY_ID));
        v.update(data);
        return v.verify(HexFormat.of().parseHex(field(signatureField)));
    }

    @Test
    void theEcPointPythonReadsIsThePublicKeyPkcs11ToolReads() {
        assertEquals(PyKcs11Test.P256_OID_DER, field("ec_params"), "CKA_EC_PARAMS is the named curve asked for");
        PublicKey key = hsm.publicKey("EC", "--id", KEY_ID);
        byte[] spki = key.getEncoded();
        byte[] octetString = HexFormat.of().parseHex(field("ec_point"));
        assertEquals(67, octetString.length, "CKA_EC_POINT: DER OCTET STRING of an uncompressed P-256 point");
        assertArrayEquals(Arrays.copyOfRange(spki, spki.length - 65, spki.length),
                Arrays.copyOfRange(octetString, 2, 67), "the same point through both consumers");
    }

    @Test
    void thePrivateKeyIsSensitiveAndFoundByItsLabel() {
        assertEquals("true", field("private_sensitive"), "CKA_SENSITIVE as requested");
        assertEquals("1", field("private_keys_found_by_label"), "C_FindObjects by CKA_LABEL through the node");
    }

    @Test
    void rawEcdsaOverAPythonDigestVerifiesWithTheJdk() throws GeneralSecurityException {
        assertTrue(jdkVerifies("ecdsa_over_sha256"), "CKM_ECDSA over SHA-256(data) made by the node verifies");
    }

    @Test
    void ecdsaSha256SignatureVerifiesWithTheJdk() throws GeneralSecurityException {
        assertTrue(json.contains("\"CKM_ECDSA_SHA256\""), "the node lists CKM_ECDSA_SHA256: " + json);
        assertTrue(jdkVerifies("ecdsa_sha256"), "CKM_ECDSA_SHA256 made by the node verifies");
    }
}
