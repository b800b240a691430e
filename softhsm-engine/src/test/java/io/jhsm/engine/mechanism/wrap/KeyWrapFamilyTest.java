package io.jhsm.engine.mechanism.wrap;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.hex;
import static io.jhsm.engine.mechanism.TestKeys.impl;
import static io.jhsm.engine.mechanism.TestKeys.secret;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.jhsm.engine.mechanism.Bytes;
import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.JcaKeys;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.engine.mechanism.rsa.RsaAesKeyWrap;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKG;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKZ;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.spec.MGF1ParameterSpec;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.Wrapper;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.engines.RFC3394WrapEngine;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/** AES key wrap runs on BC's wrap engines, so it is checked against RFC vectors and SunJCE's KW/KWP; RSA (BC) against SunJCE. */
class KeyWrapFamilyTest {
    private static final byte[] KEK = bytes(32, 11);
    private static final KeyView AES = secret(CKK.AES, KEK);

    private static byte[] wrap(long ckm, MechanismParams p, KeyView key, byte[] data) {
        return impl(ckm).wrap(Mechanism.of(ckm, p), key, data);
    }

    private static byte[] unwrap(long ckm, MechanismParams p, KeyView key, byte[] data) {
        return impl(ckm).unwrap(Mechanism.of(ckm, p), key, data);
    }

    private static byte[] bc(Wrapper w, byte[] kek, byte[] iv, byte[] data) {
        w.init(true, iv == null ? new KeyParameter(kek) : new ParametersWithIV(new KeyParameter(kek), iv));
        return w.wrap(data, 0, data.length);
    }

    @Test
    void kwMatchesRfc3394Vectors() {
        KeyView k128 = secret(CKK.AES, hex("000102030405060708090A0B0C0D0E0F"));
        assertArrayEquals(hex("1FA68B0A8112B447AEF34BD8FB5A7B829D3E862371D2CFE5"),
                wrap(CKM.AES_KEY_WRAP, null, k128, hex("00112233445566778899AABBCCDDEEFF")));
        KeyView k256 = secret(CKK.AES, hex("000102030405060708090A0B0C0D0E0F101112131415161718191A1B1C1D1E1F"));
        byte[] data = hex("00112233445566778899AABBCCDDEEFF000102030405060708090A0B0C0D0E0F");
        byte[] wrapped = hex("28C9F404C4B810F4CBCCB35CFB87F8263F5786E2D80ED326CBC7F0E71A99F43BFB988B9B7A02DD21");
        assertArrayEquals(wrapped, wrap(CKM.AES_KEY_WRAP, null, k256, data));
        assertArrayEquals(data, unwrap(CKM.AES_KEY_WRAP, null, k256, wrapped));
    }

    @Test
    void kwpMatchesRfc5649Vectors() {
        KeyView k = secret(CKK.AES, hex("5840df6e29b02af1ab493b705bf16ea1ae8338f4dcc176a8"));
        assertArrayEquals(hex("138bdeaa9b8fa7fc61f97742e72248ee5ae6ae5360d1ae6a5f54f373fa543b6a"),
                wrap(CKM.AES_KEY_WRAP_KWP, null, k, hex("c37b7e6492584340bed12207808941155068f738")));
        assertArrayEquals(hex("466f7250617369"), unwrap(CKM.AES_KEY_WRAP_KWP, null, k, hex("afbeb0f07dfbf5419200f2ccb50bb24f")));
    }

    /** SunJCE's KW/KWP with the default IV: an implementation independent of BC's engines, which we use. */
    private static byte[] sunJce(String transformation, byte[] data) {
        try {
            javax.crypto.Cipher c = javax.crypto.Cipher.getInstance(transformation, "SunJCE");
            c.init(javax.crypto.Cipher.ENCRYPT_MODE, new SecretKeySpec(KEK, "AES"));
            return c.doFinal(data);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void everyVariantAgreesWithSunJceForAnyLength() {
        qt().withExamples(40).forAll(integers().between(1, 80)).checkAssert(len -> {
            byte[] data = bytes(len, len);
            assertArrayEquals(sunJce("AES/KWP/NoPadding", data), wrap(CKM.AES_KEY_WRAP_KWP, null, AES, data));
            if (len >= 8) {
                int pad = 8 - len % 8;
                byte[] padded = Arrays.copyOf(data, len + pad);
                Arrays.fill(padded, len, padded.length, (byte) pad);
                byte[] expected = sunJce("AES/KW/NoPadding", padded);
                assertArrayEquals(expected, wrap(CKM.AES_KEY_WRAP_PKCS7, null, AES, data));
                assertArrayEquals(expected, wrap(CKM.AES_KEY_WRAP_PAD, null, AES, data));
                assertArrayEquals(data, unwrap(CKM.AES_KEY_WRAP_PKCS7, null, AES, expected));
            }
            if (len >= 16 && len % 8 == 0) {
                assertArrayEquals(sunJce("AES/KW/NoPadding", data), wrap(CKM.AES_KEY_WRAP, null, AES, data));
            }
        });
    }

    @Test
    void callerChosenIvsRoundTripAndMatchBouncyCastleBySpecification() {
        byte[] data = bytes(24, 1);
        MechanismParams p8 = new MechanismParams.Bytes(bytes(8, 3));
        MechanismParams p4 = new MechanismParams.Bytes(bytes(4, 4));
        byte[] kw = wrap(CKM.AES_KEY_WRAP, p8, AES, data);
        assertArrayEquals(data, unwrap(CKM.AES_KEY_WRAP, p8, AES, kw));
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> unwrap(CKM.AES_KEY_WRAP, null, AES, kw));
        byte[] kwp = wrap(CKM.AES_KEY_WRAP_KWP, p4, AES, data);
        assertArrayEquals(data, unwrap(CKM.AES_KEY_WRAP_KWP, p4, AES, kwp));
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> unwrap(CKM.AES_KEY_WRAP_KWP, null, AES, kwp));
        // JDK 17's SunJCE takes a caller's IV (JDK 25's refuses one); where it does, it must agree.
        try {
            javax.crypto.Cipher c = javax.crypto.Cipher.getInstance("AES/KW/NoPadding", "SunJCE");
            c.init(javax.crypto.Cipher.ENCRYPT_MODE, new SecretKeySpec(KEK, "AES"), new javax.crypto.spec.IvParameterSpec(bytes(8, 3)));
            assertArrayEquals(c.doFinal(data), kw);
        } catch (java.security.GeneralSecurityException refusedOnThisJdk) {
            assertEquals(40, kw.length);
        }
    }

    @Test
    void keyWrapAlsoEncryptsSinglePart() {
        CipherOperation op = impl(CKM.AES_KEY_WRAP).encrypt(Mechanism.of(CKM.AES_KEY_WRAP), AES);
        assertEquals(false, op.multiPart());
        byte[] data = bytes(32, 1);
        assertArrayEquals(sunJce("AES/KW/NoPadding", data), TestKeys.run(op, data));
        assertEquals(CKF.ENCRYPT | CKF.DECRYPT | CKF.WRAP | CKF.UNWRAP, TestKeys.REGISTRY.get(CKM.AES_KEY_WRAP_KWP).info().flags());
    }

    @Test
    void wrapErrorsUseTheWrappingCodes() {
        assertRv(CKR.KEY_SIZE_RANGE, () -> wrap(CKM.AES_KEY_WRAP, null, AES, bytes(20, 1)));
        assertRv(CKR.KEY_SIZE_RANGE, () -> wrap(CKM.AES_KEY_WRAP_PKCS7, null, AES, bytes(7, 1)));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> wrap(CKM.AES_KEY_WRAP, new MechanismParams.Bytes(bytes(4, 1)), AES, bytes(16, 1)));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> wrap(CKM.AES_KEY_WRAP_KWP, new MechanismParams.Bytes(bytes(8, 1)), AES, bytes(16, 1)));
        assertRv(CKR.WRAPPING_KEY_TYPE_INCONSISTENT, () -> wrap(CKM.AES_KEY_WRAP, null, secret(CKK.GENERIC_SECRET, KEK), bytes(16, 1)));
        assertRv(CKR.WRAPPING_KEY_SIZE_RANGE, () -> wrap(CKM.AES_KEY_WRAP, null, secret(CKK.AES, bytes(20, 1)), bytes(16, 1)));
        assertRv(CKR.UNWRAPPING_KEY_TYPE_INCONSISTENT, () -> unwrap(CKM.AES_KEY_WRAP, null, JcaKeys.RSA_PRIV, bytes(24, 1)));
    }

    @Test
    void unwrapRejectsTamperingAndBadLengths() {
        byte[] w = wrap(CKM.AES_KEY_WRAP, null, AES, bytes(32, 5));
        w[3] ^= 1;
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> unwrap(CKM.AES_KEY_WRAP, null, AES, w));
        assertRv(CKR.WRAPPED_KEY_LEN_RANGE, () -> unwrap(CKM.AES_KEY_WRAP, null, AES, bytes(16, 1)));
        assertRv(CKR.WRAPPED_KEY_LEN_RANGE, () -> unwrap(CKM.AES_KEY_WRAP_KWP, null, AES, bytes(20, 1)));
        byte[] kwp = wrap(CKM.AES_KEY_WRAP_KWP, null, AES, bytes(5, 5));
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> unwrap(CKM.AES_KEY_WRAP_KWP, new MechanismParams.Bytes(bytes(4, 9)), AES, kwp));
        // Valid RFC 3394 ciphertext whose plaintext does not end in PKCS#7 padding.
        byte[] noPad = bc(new RFC3394WrapEngine(AESEngine.newInstance()), KEK, null, new byte[32]);
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> unwrap(CKM.AES_KEY_WRAP_PKCS7, null, AES, noPad));
    }

    @Test
    void gcmAndCbcPadWrapAsSunJceEncrypts() throws Exception {
        byte[] target = bytes(24, 6);
        byte[] iv = bytes(12, 7);
        byte[] gcm = wrap(CKM.AES_GCM, new MechanismParams.Gcm(iv, 96, new byte[0], 128), AES, target);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(KEK, "AES"), new GCMParameterSpec(128, iv));
        assertArrayEquals(target, c.doFinal(gcm));
        gcm[0] ^= 1;
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> unwrap(CKM.AES_GCM, new MechanismParams.Gcm(iv, 96, new byte[0], 128), AES, gcm));

        MechanismParams.Bytes cbcIv = new MechanismParams.Bytes(bytes(16, 8));
        byte[] cbc = wrap(CKM.AES_CBC_PAD, cbcIv, AES, target);
        assertEquals(32, cbc.length);
        assertArrayEquals(target, unwrap(CKM.AES_CBC_PAD, cbcIv, AES, cbc));
        assertRv(CKR.WRAPPED_KEY_LEN_RANGE, () -> unwrap(CKM.AES_CBC_PAD, cbcIv, AES, bytes(20, 1)));
    }

    private static MechanismParams.Oaep oaep256() {
        return new MechanismParams.Oaep(CKM.SHA256, CKG.MGF1_SHA256, CKZ.DATA_SPECIFIED, new byte[0]);
    }

    private static Cipher jcaOaep256(int mode) throws Exception {
        Cipher c = Cipher.getInstance("RSA/ECB/OAEPPadding", "SunJCE");
        c.init(mode, mode == Cipher.DECRYPT_MODE ? JcaKeys.RSA.getPrivate() : JcaKeys.RSA.getPublic(),
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, PSource.PSpecified.DEFAULT));
        return c;
    }

    @Test
    void rsaOaepAndPkcs1WrapAsSunJceDecrypts() throws Exception {
        byte[] target = bytes(32, 9);
        byte[] w = wrap(CKM.RSA_PKCS_OAEP, oaep256(), JcaKeys.RSA_PUB, target);
        assertArrayEquals(target, jcaOaep256(Cipher.DECRYPT_MODE).doFinal(w));
        assertArrayEquals(target, unwrap(CKM.RSA_PKCS_OAEP, oaep256(), JcaKeys.RSA_PRIV, jcaOaep256(Cipher.ENCRYPT_MODE).doFinal(target)));
        byte[] p1 = wrap(CKM.RSA_PKCS, null, JcaKeys.RSA_PUB, target);
        Cipher c = Cipher.getInstance("RSA/ECB/PKCS1Padding", "SunJCE");
        c.init(Cipher.DECRYPT_MODE, JcaKeys.RSA.getPrivate());
        assertArrayEquals(target, c.doFinal(p1));
        assertRv(CKR.KEY_SIZE_RANGE, () -> wrap(CKM.RSA_PKCS_OAEP, oaep256(), JcaKeys.RSA_PUB, bytes(250, 1)));
        assertRv(CKR.WRAPPED_KEY_LEN_RANGE, () -> unwrap(CKM.RSA_PKCS_OAEP, oaep256(), JcaKeys.RSA_PRIV, bytes(255, 1)));
        byte[] bad = w.clone();
        bad[10] ^= 1;
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> unwrap(CKM.RSA_PKCS_OAEP, oaep256(), JcaKeys.RSA_PRIV, bad));
        assertRv(CKR.WRAPPING_KEY_TYPE_INCONSISTENT, () -> wrap(CKM.RSA_PKCS_OAEP, oaep256(), AES, target));
    }

    @Test
    void rsaAesKeyWrapIsOaepOfTheAesKeyThenKwp() throws Exception {
        MechanismParams.RsaAesKeyWrap p = new MechanismParams.RsaAesKeyWrap(256, oaep256());
        byte[] target = bytes(45, 10);
        byte[] w = wrap(CKM.RSA_AES_KEY_WRAP, p, JcaKeys.RSA_PUB, target);
        byte[] aesKey = jcaOaep256(Cipher.DECRYPT_MODE).doFinal(Arrays.copyOf(w, 256));
        assertEquals(32, aesKey.length);
        Cipher kwp = Cipher.getInstance("AES/KWP/NoPadding", "SunJCE");
        kwp.init(Cipher.DECRYPT_MODE, new SecretKeySpec(aesKey, "AES"));
        assertArrayEquals(target, kwp.doFinal(w, 256, w.length - 256));
        assertArrayEquals(target, unwrap(CKM.RSA_AES_KEY_WRAP, p, JcaKeys.RSA_PRIV, w));

        byte[] foreign = TestKeys.concat(jcaOaep256(Cipher.ENCRYPT_MODE).doFinal(KEK), sunJce("AES/KWP/NoPadding", target));
        assertArrayEquals(target, unwrap(CKM.RSA_AES_KEY_WRAP, p, JcaKeys.RSA_PRIV, foreign));
    }

    @Test
    void rsaAesKeyWrapErrors() {
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> wrap(CKM.RSA_AES_KEY_WRAP, new MechanismParams.RsaAesKeyWrap(100, oaep256()), JcaKeys.RSA_PUB, bytes(16, 1)));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> wrap(CKM.RSA_AES_KEY_WRAP, oaep256(), JcaKeys.RSA_PUB, bytes(16, 1)));
        MechanismParams.RsaAesKeyWrap p = new MechanismParams.RsaAesKeyWrap(128, oaep256());
        assertRv(CKR.WRAPPED_KEY_LEN_RANGE, () -> unwrap(CKM.RSA_AES_KEY_WRAP, p, JcaKeys.RSA_PRIV, bytes(260, 1)));
        byte[] w = wrap(CKM.RSA_AES_KEY_WRAP, p, JcaKeys.RSA_PUB, bytes(16, 1));
        w[w.length - 1] ^= 1;
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> unwrap(CKM.RSA_AES_KEY_WRAP, p, JcaKeys.RSA_PRIV, w));
        byte[] w256 = wrap(CKM.RSA_AES_KEY_WRAP, new MechanismParams.RsaAesKeyWrap(256, oaep256()), JcaKeys.RSA_PUB, bytes(16, 1));
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> unwrap(CKM.RSA_AES_KEY_WRAP, p, JcaKeys.RSA_PRIV, w256));
        assertRv(CKR.UNWRAPPING_KEY_TYPE_INCONSISTENT, () -> unwrap(CKM.RSA_AES_KEY_WRAP, p, AES, bytes(300, 1)));
    }
}
