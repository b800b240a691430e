package io.jhsm.engine.mechanism.kdf;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.hex;
import static io.jhsm.engine.mechanism.TestKeys.impl;
import static io.jhsm.engine.mechanism.TestKeys.secret;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.List;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.junit.jupiter.api.Test;

/** HKDF (ours over SunJCE HMAC) against RFC 5869 and BC's HKDFBytesGenerator. */
public class KdfFamiliesTest {

    public static byte[] value(List<Attribute> attrs) {
        return attrs.stream().filter(a -> a.type() == CKA.VALUE).findFirst().orElseThrow().value();
    }

    static byte[] derive(long ckm, MechanismParams p, KeyView base, long len) {
        return value(impl(ckm).deriveKey(Mechanism.of(ckm, p), base, new TemplateView(List.of(Attribute.of(CKA.VALUE_LEN, len)))));
    }

    private static MechanismParams.Hkdf hkdf(boolean extract, boolean expand, long hash, byte[] salt, byte[] info) {
        return new MechanismParams.Hkdf(extract, expand, hash, salt == null ? CKF.HKDF_SALT_NULL : CKF.HKDF_SALT_DATA,
                salt == null ? new byte[0] : salt, 0, info);
    }

    @Test
    void hkdfMatchesRfc5869() {
        KeyView ikm = secret(CKK.GENERIC_SECRET, hex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"));
        byte[] salt = hex("000102030405060708090a0b0c");
        byte[] info = hex("f0f1f2f3f4f5f6f7f8f9");
        byte[] prk = hex("077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5");
        byte[] okm = hex("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865");
        assertArrayEquals(okm, derive(CKM.HKDF_DERIVE, hkdf(true, true, CKM.SHA256, salt, info), ikm, 42));
        assertArrayEquals(prk, derive(CKM.HKDF_DERIVE, hkdf(true, false, CKM.SHA256, salt, info), ikm, 32));
        assertArrayEquals(okm, derive(CKM.HKDF_DERIVE, hkdf(false, true, CKM.SHA256, null, info), secret(CKK.HKDF, prk), 42));
        // Test case 3: no salt, no info.
        assertArrayEquals(hex("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8"),
                derive(CKM.HKDF_DERIVE, hkdf(true, true, CKM.SHA256, null, new byte[0]), ikm, 42));
    }

    @Test
    void hkdfWithSha3AndASaltKeyMatchesBouncyCastle() {
        byte[] ikm = bytes(40, 1);
        byte[] salt = bytes(16, 2);
        byte[] info = bytes(9, 3);
        HKDFBytesGenerator g = new HKDFBytesGenerator(new SHA3Digest(256));
        g.init(new HKDFParameters(ikm, salt, info));
        byte[] expected = new byte[100];
        g.generateBytes(expected, 0, 100);
        KeyView saltKey = secret(CKK.GENERIC_SECRET, salt);
        MechanismParams.Hkdf p = new MechanismParams.Hkdf(true, true, CKM.SHA3_256, CKF.HKDF_SALT_KEY, new byte[0], 77, info);
        List<Attribute> out = impl(CKM.HKDF_DERIVE).deriveKey(Mechanism.of(CKM.HKDF_DERIVE, p), secret(CKK.GENERIC_SECRET, ikm),
                new TemplateView(List.of(Attribute.of(CKA.VALUE_LEN, 100L))), handle -> handle == 77 ? saltKey : null);
        assertArrayEquals(expected, value(out));
        // CKM_HKDF_DATA takes its input from a data object's CKA_VALUE.
        TestKeys.MapKeyView data = new TestKeys.MapKeyView().with(CKA.CLASS, io.jhsm.pkcs11.CKO.DATA).with(CKA.VALUE, ikm);
        g.init(new HKDFParameters(ikm, null, info));
        g.generateBytes(expected, 0, 100);
        assertArrayEquals(expected, derive(CKM.HKDF_DATA, new MechanismParams.Hkdf(true, true, CKM.SHA3_256, CKF.HKDF_SALT_NULL, null, 0, info), data, 100));
    }

    @Test
    void hkdfErrors() {
        KeyView ikm = secret(CKK.GENERIC_SECRET, bytes(32, 1));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(CKM.HKDF_DERIVE, hkdf(false, false, CKM.SHA256, null, null), ikm, 32));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(CKM.HKDF_DERIVE, hkdf(true, true, CKM.MD5, null, null), ikm, 32));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(CKM.HKDF_DERIVE,
                new MechanismParams.Hkdf(true, true, CKM.SHA256, CKF.HKDF_SALT_DATA, new byte[0], 0, null), ikm, 32));
        assertRv(CKR.KEY_HANDLE_INVALID, () -> derive(CKM.HKDF_DERIVE,
                new MechanismParams.Hkdf(true, true, CKM.SHA256, CKF.HKDF_SALT_KEY, null, 5, null), ikm, 32));
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> derive(CKM.HKDF_DERIVE, hkdf(true, true, CKM.SHA256, null, null), secret(CKK.AES, bytes(16, 1)), 32));
        assertRv(CKR.TEMPLATE_INCONSISTENT, () -> derive(CKM.HKDF_DERIVE, hkdf(false, true, CKM.SHA_1, null, null), ikm, 255 * 20 + 1));
        assertRv(CKR.TEMPLATE_INCONSISTENT, () -> derive(CKM.HKDF_DERIVE, hkdf(true, false, CKM.SHA256, null, null), ikm, 33));
    }

    @Test
    void hkdfKeyGenMakesHkdfKeys() {
        List<Attribute> k = impl(CKM.HKDF_KEY_GEN).generateKey(Mechanism.of(CKM.HKDF_KEY_GEN), new TemplateView(List.of(Attribute.of(CKA.VALUE_LEN, 32L))));
        org.junit.jupiter.api.Assertions.assertEquals(CKK.HKDF, io.jhsm.pkcs11.Ulong.decode(k.get(0).value()));
        org.junit.jupiter.api.Assertions.assertEquals(32, value(k).length);
    }
}
