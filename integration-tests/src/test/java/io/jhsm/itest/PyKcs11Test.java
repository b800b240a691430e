package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * PyKCS11 (Debian's python3-pykcs11), a Python application's view of the module: a checked-in script generates
 * an EC P-256 key pair on the token, signs with it and exports the public point as JSON; the JDK's own ECDSA
 * implementation verifies the signatures against that point.
 */
class PyKcs11Test {
    /** Debian's interpreter, which has python3-pykcs11; a python3 earlier on PATH (pyenv, venv) may not. */
    static final String PYTHON = "/usr/bin/python3";
    static final String P256_OID_DER = "06082a8648ce3d030107";

    @TempDir static Path dir;
    static byte[] data;
    static String json;

    @BeforeAll
    static void pythonGeneratesAKeyAndSigns() {
        TokenFixture token = TokenFixture.initialised(dir);
        data = Files2.randomBytes(777);
        Path script = ModuleUnderTest.repoRoot().resolve("integration-tests/src/test/python/pykcs11_ec_sign.py");
        Cmd.Result r = token.cmd(PYTHON, script.toString(), token.module().toString(), TokenFixture.LABEL,
                TokenFixture.USER_PIN, Files2.hex(data)).run().assertOk("PyKCS11 script");
        Matcher m = Pattern.compile("(?m)^\\{.*\\}$").matcher(r.output());
        if (!m.find()) throw new AssertionError("no JSON line in the script's output:\n" + r.describe());
        json = m.group();
    }

    /** A field of the script's flat JSON object, as its raw text (strings unquoted). */
    static String field(String name) {
        Matcher m = Pattern.compile("\"" + name + "\": (\"([^\"]*)\"|[^,}]+)").matcher(json);
        if (!m.find()) throw new AssertionError("no \"" + name + "\" in " + json);
        return m.group(2) != null ? m.group(2) : m.group(1).trim();
    }

    /** The public key from CKA_EC_POINT, which PKCS#11 defines as the DER OCTET STRING of the X9.62 point. */
    static PublicKey publicKey() throws GeneralSecurityException {
        byte[] der = HexFormat.of().parseHex(field("ec_point"));
        assertEquals(67, der.length, "DER OCTET STRING of an uncompressed P-256 point");
        assertEquals(0x04, der[0], "OCTET STRING tag");
        assertEquals(65, der[1], "OCTET STRING length");
        assertEquals(0x04, der[2], "uncompressed point");
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec("secp256r1"));
        ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(der, 3, 35)),
                new BigInteger(1, Arrays.copyOfRange(der, 35, 67)));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, p.getParameterSpec(ECParameterSpec.class)));
    }

    static boolean jdkVerifies(String signatureField) throws GeneralSecurityException {
        Signature v = Signature.getInstance("SHA256withECDSAinP1363Format");
        v.initVerify(publicKey());
        v.update(data);
        return v.verify(HexFormat.of().parseHex(field(signatureField)));
    }

    @Test
    void generatedKeyIsOnP256AndItsPointIsAnOctetString() throws GeneralSecurityException {
        assertEquals(P256_OID_DER, field("ec_params"), "CKA_EC_PARAMS is the named curve we asked for");
        publicKey();
    }

    @Test
    void generatedPrivateKeyIsSensitiveAndFoundByItsLabel() {
        assertEquals("true", field("private_sensitive"), "CKA_SENSITIVE as requested");
        assertEquals("1", field("private_keys_found_by_label"), "C_FindObjects by CKA_LABEL");
    }

    @Test
    void rawEcdsaOverAPythonDigestVerifiesWithTheJdk() throws GeneralSecurityException {
        assertTrue(jdkVerifies("ecdsa_over_sha256"), "CKM_ECDSA over SHA-256(data) verifies");
    }

    @Test
    @DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm",
            disabledReason = "SoftHSM 2.6 has no CKM_ECDSA_SHA256 (CKR_MECHANISM_INVALID); covered by raw ECDSA above")
    void ecdsaSha256SignatureVerifiesWithTheJdk() throws GeneralSecurityException {
        assertTrue(json.contains("\"CKM_ECDSA_SHA256\""), "the token lists CKM_ECDSA_SHA256: " + json);
        assertTrue(jdkVerifies("ecdsa_sha256"), "CKM_ECDSA_SHA256 signature verifies");
    }
}
