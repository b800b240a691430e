package io.jhsm.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIf;
import org.junit.jupiter.api.io.TempDir;

/**
 * CloudHSM's key rules through dist/libjhsm.so, as a PyKCS11 application meets them
 * (src/test/python/pykcs11_cloudhsm_keys.py): on a cloudhsm-profile token CKA_PRIVATE FALSE and CKA_START_DATE are
 * refused, a minimal AES template gives a key that may not encrypt but may be extracted, and the vendor AES key wrap
 * mechanisms wrap as RFC 5649 / RFC 3394 do (checked with the JDK's AES/KWP and AES/KW) with CloudHSM's IV rules;
 * on a pkcs11 token the same script sees the specification's behaviour.
 */
@DisabledIf(value = "io.jhsm.itest.ModuleUnderTest#isSoftHsm", disabledReason = "the cloudhsm profile is jhsm's")
class PyKcs11CloudHsmKeysTest {
    static final Path SCRIPT = ModuleUnderTest.repoRoot().resolve("integration-tests/src/test/python/pykcs11_cloudhsm_keys.py");
    static final byte[] KEK = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    static final byte[] TARGET = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");

    @TempDir Path pkcs11Dir;
    @TempDir Path cloudDir;

    /** The script's JSON line, run against a token of the given profile (initialised under pkcs11, as CloudHSM has no C_InitToken). */
    static String run(Path dir, String profile) {
        TokenFixture.initialised(dir);
        TokenFixture token = TokenFixture.blank(dir, "profile = " + profile);
        Cmd.Result r = token.cmd(PyKcs11Test.PYTHON, SCRIPT.toString(), token.module().toString(), TokenFixture.LABEL,
                TokenFixture.USER_PIN, Files2.hex(KEK), Files2.hex(TARGET)).run().assertOk("PyKCS11 script");
        Matcher m = Pattern.compile("(?m)^\\{.*\\}$").matcher(r.output());
        if (!m.find()) throw new AssertionError("no JSON line in the script's output:\n" + r.describe());
        return m.group();
    }

    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\": (\"([^\"]*)\"|[^,}]+)").matcher(json);
        if (!m.find()) throw new AssertionError("no \"" + name + "\" in " + json);
        return m.group(2) != null ? m.group(2) : m.group(1).trim();
    }

    static String jdkWrap(String transformation, byte[] input) throws GeneralSecurityException {
        Cipher c = Cipher.getInstance(transformation);
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEK, "AES"));
        return HexFormat.of().formatHex(c.doFinal(input));
    }

    @Test
    void cloudHsmTokenAppliesCloudHsmsKeyRulesAndVendorWraps() throws GeneralSecurityException {
        String json = run(cloudDir, "cloudhsm");
        assertEquals("CKR_ATTRIBUTE_VALUE_INVALID", field(json, "not_private"), json);
        assertEquals("CKR_TEMPLATE_INCONSISTENT", field(json, "start_date"), json);
        assertEquals("false", field(json, "default_encrypt"), "CloudHSM permits no usage by default");
        assertEquals("true", field(json, "default_extractable"));
        assertEquals("true", field(json, "default_private"));

        String kwp = jdkWrap("AES/KWP/NoPadding", TARGET);
        String kw = jdkWrap("AES/KW/NoPadding", TARGET);
        byte[] pkcs5 = Arrays.copyOf(TARGET, TARGET.length + 8);
        Arrays.fill(pkcs5, TARGET.length, pkcs5.length, (byte) 8);
        assertEquals(kwp, field(json, "zero_pad"), "CKM_CLOUDHSM_AES_KEY_WRAP_ZERO_PAD is RFC 5649");
        assertEquals(kw, field(json, "no_pad"), "CKM_CLOUDHSM_AES_KEY_WRAP_NO_PAD is RFC 3394");
        assertEquals(kw, field(json, "no_pad_default_iv"), "the default IV may be given explicitly");
        assertEquals(jdkWrap("AES/KW/NoPadding", pkcs5), field(json, "pkcs5_pad"), "PKCS#5 padding to 8 bytes, then RFC 3394");
        for (String unwrapped : new String[] {"zero_pad_unwrapped", "no_pad_unwrapped", "pkcs5_pad_unwrapped"}) {
            assertEquals(Files2.hex(TARGET), field(json, unwrapped), unwrapped);
        }
        assertEquals("CKR_MECHANISM_PARAM_INVALID", field(json, "no_pad_other_iv"), "only 0xA6A6A6A6A6A6A6A6 is accepted");
        assertEquals("CKR_MECHANISM_PARAM_INVALID", field(json, "zero_pad_iv"), "no explicit IV with zero padding");
    }

    @Test
    void pkcs11TokenKeepsTheSpecificationsBehaviour() throws GeneralSecurityException {
        String json = run(pkcs11Dir, "pkcs11");
        assertEquals("false", field(json, "not_private"), json);
        assertEquals("true", field(json, "start_date"), json);
        assertEquals("true", field(json, "default_encrypt"));
        assertEquals("false", field(json, "default_extractable"));
        assertEquals(jdkWrap("AES/KWP/NoPadding", TARGET), field(json, "kwp"), "CKM_AES_KEY_WRAP_KWP is RFC 5649");
        assertEquals(Files2.hex(TARGET), field(json, "kwp_unwrapped"));
    }
}
