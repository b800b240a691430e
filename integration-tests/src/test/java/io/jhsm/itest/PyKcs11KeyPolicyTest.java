package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key policy through dist/libjhsm.so as a Python application meets it (PyKCS11): on a default token a
 * default-template AES key wraps and an ECDH secret derived from a sensitive EC key may be extractable, as
 * PKCS#11 and CloudHSM allow (the JDK computes the same secret); with {@code key-policy = strict} in JHSM_CONF
 * both are refused with CKR_KEY_FUNCTION_NOT_PERMITTED and CKR_TEMPLATE_INCONSISTENT.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "jhsm's key-policy setting")
class PyKcs11KeyPolicyTest {
    @TempDir Path dir;

    private String run(TokenFixture token, KeyPair peer) {
        ECPoint w = ((ECPublicKey) peer.getPublic()).getW();
        String point = "04" + hex32(w.getAffineX()) + hex32(w.getAffineY());
        Path script = ModuleUnderTest.repoRoot().resolve("integration-tests/src/test/python/pykcs11_wrap_ecdh.py");
        Cmd.Result r = token.cmd(PyKcs11Test.PYTHON, script.toString(), token.module().toString(), TokenFixture.LABEL,
                TokenFixture.USER_PIN, point).run().assertOk("PyKCS11 wrap/ECDH script");
        Matcher m = Pattern.compile("(?m)^\\{.*\\}$").matcher(r.output());
        if (!m.find()) throw new AssertionError("no JSON line in the script's output:\n" + r.describe());
        return m.group();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": \"([^\"]*)\"").matcher(json);
        if (!m.find()) throw new AssertionError("no \"" + name + "\" in " + json);
        return m.group(1);
    }

    private static KeyPair p256() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    private static String hex32(BigInteger n) {
        String h = n.toString(16);
        return "0".repeat(64 - h.length()) + h;
    }

    @Test
    void aDefaultTokenWrapsWithADefaultAesKeyAndGivesAnExtractableEcdhSecret() throws Exception {
        TokenFixture token = TokenFixture.initialised(dir);
        KeyPair peer = p256();
        String json = run(token, peer);
        assertEquals("jhsm", field(json, "model"));
        assertEquals(24, HexFormat.of().parseHex(field(json, "wrapped")).length, "RFC 3394 wrap of a 16-byte key: " + json);
        byte[] der = HexFormat.of().parseHex(field(json, "ec_point"));
        byte[] raw = Arrays.copyOfRange(der, der.length - 64, der.length);
        ECPublicKey tokenPublic = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                new ECPoint(new BigInteger(1, Arrays.copyOf(raw, 32)), new BigInteger(1, Arrays.copyOfRange(raw, 32, 64))),
                ((ECPublicKey) peer.getPublic()).getParams()));
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(peer.getPrivate());
        ka.doPhase(tokenPublic, true);
        assertArrayEquals(ka.generateSecret(), HexFormat.of().parseHex(field(json, "ecdh_secret")), json);
    }

    @Test
    void aStrictTokenRefusesBoth() throws Exception {
        TokenFixture token = TokenFixture.blank(dir);
        Files.writeString(dir.resolve("jhsm.conf"), "key-policy = strict\n", StandardOpenOption.APPEND);
        token.initToken();
        token.initUserPin();
        String json = run(token, p256());
        assertEquals("jhsm strict", field(json, "model"));
        assertEquals("CKR_KEY_FUNCTION_NOT_PERMITTED", field(json, "wrapped"));
        assertEquals("CKR_TEMPLATE_INCONSISTENT", field(json, "ecdh_secret"));
    }
}
