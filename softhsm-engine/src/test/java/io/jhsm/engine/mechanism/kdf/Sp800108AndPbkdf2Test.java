package io.jhsm.engine.mechanism.kdf;

import static io.jhsm.engine.mechanism.kdf.KdfFamiliesTest.derive;
import static io.jhsm.engine.mechanism.kdf.KdfFamiliesTest.value;
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
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKP;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKZ;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.pkcs11.MechanismParams.PrfDataParam;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.Mac;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.generators.KDFCounterBytesGenerator;
import org.bouncycastle.crypto.generators.KDFFeedbackBytesGenerator;
import org.bouncycastle.crypto.macs.CMac;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KDFCounterParameters;
import org.bouncycastle.crypto.params.KDFFeedbackParameters;
import org.junit.jupiter.api.Test;

/** SP 800-108 (ours over SunJCE HMAC / BC CMAC) against BC's KDF generators; PBKDF2 against SunJCE and RFC 6070. */
class Sp800108AndPbkdf2Test {

    /** CK_SP800_108_COUNTER_FORMAT as the bridge copies it: bLittleEndian, 7 bytes padding, ulWidthInBits. */
    static byte[] counterFormat(boolean le, long bits) {
        return ByteBuffer.allocate(16).order(ByteOrder.nativeOrder()).put(0, (byte) (le ? 1 : 0)).putLong(8, bits).array();
    }

    static byte[] dkmFormat(long method, boolean le, long bits) {
        return ByteBuffer.allocate(24).order(ByteOrder.nativeOrder()).putLong(0, method).put(8, (byte) (le ? 1 : 0)).putLong(16, bits).array();
    }

    private static byte[] bc(org.bouncycastle.crypto.DerivationFunction g, int len) {
        byte[] out = new byte[len];
        g.generateBytes(out, 0, len);
        return out;
    }

    @Test
    void counterModeMatchesBouncyCastleWithHmacAndCmac() {
        byte[] label = bytes(12, 1);
        byte[] context = bytes(20, 2);
        byte[] dkm = {0, 0, 3, 0}; // 96 bytes = 768 bits, 32-bit big-endian
        byte[] suffix = TestKeys.concat(new byte[] {0}, context, dkm);
        List<PrfDataParam> params = List.of(new PrfDataParam(4, label), new PrfDataParam(1, counterFormat(false, 32)),
                new PrfDataParam(4, new byte[] {0}), new PrfDataParam(4, context), new PrfDataParam(3, dkmFormat(1, false, 32)));
        byte[] key = bytes(32, 3);
        for (long prf : new long[] {CKM.SHA256_HMAC, CKM.AES_CMAC}) {
            Mac mac = prf == CKM.AES_CMAC ? new CMac(AESEngine.newInstance()) : new HMac(new SHA256Digest());
            KDFCounterBytesGenerator g = new KDFCounterBytesGenerator(mac);
            g.init(new KDFCounterParameters(key, label, suffix, 32));
            KeyView base = secret(prf == CKM.AES_CMAC ? CKK.AES : CKK.GENERIC_SECRET, key);
            assertArrayEquals(bc(g, 96), derive(CKM.SP800_108_COUNTER_KDF, new MechanismParams.Sp800108Kdf(prf, params, null), base, 96), CKM.name(prf));
        }
    }

    @Test
    void feedbackModeMatchesBouncyCastle() {
        byte[] iv = bytes(32, 4);
        byte[] fixed = bytes(30, 5);
        byte[] key = bytes(32, 6);
        KDFFeedbackBytesGenerator g = new KDFFeedbackBytesGenerator(new HMac(new SHA256Digest()));
        g.init(KDFFeedbackParameters.createWithCounter(key, iv, fixed, 16));
        List<PrfDataParam> params = List.of(new PrfDataParam(1, null), new PrfDataParam(2, counterFormat(false, 16)), new PrfDataParam(4, fixed));
        assertArrayEquals(bc(g, 80), derive(CKM.SP800_108_FEEDBACK_KDF,
                new MechanismParams.Sp800108Kdf(CKM.SHA256_HMAC, params, iv), secret(CKK.SHA256_HMAC, key), 80));
    }

    @Test
    void sp800108Errors() {
        KeyView base = secret(CKK.GENERIC_SECRET, bytes(32, 1));
        List<PrfDataParam> ok = List.of(new PrfDataParam(1, counterFormat(false, 32)));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(CKM.SP800_108_COUNTER_KDF, new MechanismParams.Sp800108Kdf(CKM.MD5_HMAC, ok, null), base, 32));
        List<PrfDataParam> twice = List.of(ok.get(0), ok.get(0));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(CKM.SP800_108_COUNTER_KDF, new MechanismParams.Sp800108Kdf(CKM.SHA256_HMAC, twice, null), base, 32));
        List<PrfDataParam> oddWidth = List.of(new PrfDataParam(1, counterFormat(false, 12)));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(CKM.SP800_108_COUNTER_KDF, new MechanismParams.Sp800108Kdf(CKM.SHA256_HMAC, oddWidth, null), base, 32));
        List<PrfDataParam> narrow = List.of(new PrfDataParam(1, counterFormat(false, 8)));
        // 800 bytes of SHA-1 output needs 40 rounds: fits 8 bits; the counter limit is hit only past 255 rounds.
        org.junit.jupiter.api.Assertions.assertEquals(800,
                derive(CKM.SP800_108_COUNTER_KDF, new MechanismParams.Sp800108Kdf(CKM.SHA_1_HMAC, narrow, null), base, 800).length);
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> derive(CKM.SP800_108_COUNTER_KDF, new MechanismParams.Sp800108Kdf(CKM.AES_CMAC, ok, null), base, 32));
    }

    private static MechanismParams.Pbkdf2 pbkdf2(long prf, String password, byte[] salt, long iterations) {
        return new MechanismParams.Pbkdf2(CKZ.SALT_SPECIFIED, salt, iterations, prf, null, password.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] generate(MechanismParams.Pbkdf2 p, long len) {
        return value(impl(CKM.PKCS5_PBKD2).generateKey(Mechanism.of(CKM.PKCS5_PBKD2, p), new TemplateView(List.of(Attribute.of(CKA.VALUE_LEN, len)))));
    }

    @Test
    void pbkdf2MatchesRfc6070AndSunJce() throws Exception {
        assertArrayEquals(hex("0c60c80f961f0e71f3a9b524af6012062fe037a6"), generate(pbkdf2(CKP.PKCS5_PBKD2_HMAC_SHA1, "password", "salt".getBytes(StandardCharsets.US_ASCII), 1), 20));
        assertArrayEquals(hex("4b007901b765489abead49d926f721d065a429c1"), generate(pbkdf2(CKP.PKCS5_PBKD2_HMAC_SHA1, "password", "salt".getBytes(StandardCharsets.US_ASCII), 4096), 20));
        byte[] salt = bytes(16, 1);
        byte[] expected = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA512").generateSecret(new PBEKeySpec("correct horse".toCharArray(), salt, 1000, 100 * 8)).getEncoded();
        assertArrayEquals(expected, generate(pbkdf2(CKP.PKCS5_PBKD2_HMAC_SHA512, "correct horse", salt, 1000), 100));
    }

    @Test
    void pbkdf2Errors() {
        byte[] salt = bytes(8, 1);
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> generate(pbkdf2(CKP.PKCS5_PBKD2_HMAC_SHA256, "pw", salt, 0), 32));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> generate(pbkdf2(CKP.PKCS5_PBKD2_HMAC_GOSTR3411, "pw", salt, 10), 32));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> generate(new MechanismParams.Pbkdf2(2, salt, 10, CKP.PKCS5_PBKD2_HMAC_SHA256, null, new byte[2]), 32));
        assertRv(CKR.TEMPLATE_INCOMPLETE, () -> impl(CKM.PKCS5_PBKD2).generateKey(Mechanism.of(CKM.PKCS5_PBKD2, pbkdf2(CKP.PKCS5_PBKD2_HMAC_SHA256, "pw", salt, 10)), new TemplateView(List.of())));
    }
}
