package io.jhsm.engine.mechanism.mac;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.hex;
import static io.jhsm.engine.mechanism.TestKeys.impl;
import static io.jhsm.engine.mechanism.TestKeys.secret;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

class HmacFamilyTest {
    private static final byte[] JEFE = "Jefe".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] WHAT = "what do ya want for nothing?".getBytes(StandardCharsets.US_ASCII);

    private static byte[] mac(long ckm, MechanismParams params, KeyView key, byte[]... parts) {
        SignOperation op = impl(ckm).sign(Mechanism.of(ckm, params), key);
        for (byte[] p : parts) {
            op.update(p);
        }
        return op.sign();
    }

    /** RFC 2202 test case 2 and RFC 4231 test case 2. */
    @Test
    void hmacMatchesRfc2202AndRfc4231Vectors() {
        KeyView k = secret(CKK.GENERIC_SECRET, JEFE);
        assertArrayEquals(hex("effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"), mac(CKM.SHA_1_HMAC, null, k, WHAT));
        assertArrayEquals(hex("a30e01098bc6dbbf45690f3a7e9e6d0f8bbea2a39e6148008fd05e44"), mac(CKM.SHA224_HMAC, null, k, WHAT));
        assertArrayEquals(hex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"), mac(CKM.SHA256_HMAC, null, k, WHAT));
        assertArrayEquals(hex("af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649"),
                mac(CKM.SHA384_HMAC, null, k, WHAT));
        assertArrayEquals(hex("164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fd"
                + "caeab1a34d4a6b4b636e070a38bce737"), mac(CKM.SHA512_HMAC, null, k, WHAT));
    }

    @Test
    void generalHmacTruncatesToRequestedLength() {
        KeyView k = secret(CKK.SHA256_HMAC, JEFE);
        byte[] mac = mac(CKM.SHA256_HMAC_GENERAL, new MechanismParams.UlongValue(12), k, WHAT);
        assertArrayEquals(hex("5bdcc146bf60754e6a042426"), mac);
        VerifyOperation v = impl(CKM.SHA256_HMAC_GENERAL).verify(Mechanism.of(CKM.SHA256_HMAC_GENERAL, new MechanismParams.UlongValue(12)), k);
        v.update(WHAT);
        v.verify(mac);
    }

    @Test
    void generalHmacRejectsLengthOutsideOneToHashLength() {
        KeyView k = secret(CKK.GENERIC_SECRET, JEFE);
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> impl(CKM.SHA256_HMAC_GENERAL).sign(Mechanism.of(CKM.SHA256_HMAC_GENERAL, new MechanismParams.UlongValue(33)), k));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> impl(CKM.SHA256_HMAC_GENERAL).sign(Mechanism.of(CKM.SHA256_HMAC_GENERAL, new MechanismParams.UlongValue(0)), k));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> impl(CKM.SHA256_HMAC_GENERAL).sign(Mechanism.of(CKM.SHA256_HMAC_GENERAL), k));
    }

    @Test
    void hmacVerifyDistinguishesWrongLengthFromWrongValue() {
        KeyView k = secret(CKK.GENERIC_SECRET, JEFE);
        byte[] good = mac(CKM.SHA256_HMAC, null, k, WHAT);
        VerifyOperation shortMac = impl(CKM.SHA256_HMAC).verify(Mechanism.of(CKM.SHA256_HMAC), k);
        shortMac.update(WHAT);
        assertRv(CKR.SIGNATURE_LEN_RANGE, () -> shortMac.verify(Arrays.copyOf(good, 31)));
        byte[] bad = good.clone();
        bad[31] ^= 1;
        VerifyOperation wrong = impl(CKM.SHA256_HMAC).verify(Mechanism.of(CKM.SHA256_HMAC), k);
        wrong.update(WHAT);
        assertRv(CKR.SIGNATURE_INVALID, () -> wrong.verify(bad));
    }

    @Test
    void hmacRejectsKeysOfOtherTypes() {
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> impl(CKM.SHA256_HMAC).sign(Mechanism.of(CKM.SHA256_HMAC), secret(CKK.AES, new byte[16])));
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> impl(CKM.SHA256_HMAC).sign(Mechanism.of(CKM.SHA256_HMAC), secret(CKK.SHA384_HMAC, new byte[16])));
    }

    @Test
    void multiPartHmacEqualsSinglePartAndBouncyCastle() {
        qt().withExamples(40).forAll(integers().between(0, 300), integers().between(1, 200), integers().between(0, 300))
                .checkAssert((len, keyLen, split) -> {
                    byte[] data = bytes(len, len * 31L + keyLen);
                    byte[] keyBytes = bytes(keyLen, keyLen);
                    KeyView k = secret(CKK.GENERIC_SECRET, keyBytes);
                    int s = Math.min(split, len);
                    for (long ckm : new long[] {CKM.SHA_1_HMAC, CKM.SHA256_HMAC, CKM.SHA512_HMAC}) {
                        byte[] whole = mac(ckm, null, k, data);
                        assertArrayEquals(whole, mac(ckm, null, k, Arrays.copyOfRange(data, 0, s), Arrays.copyOfRange(data, s, len)));
                        HashAlg h = ckm == CKM.SHA_1_HMAC ? HashAlg.SHA1 : ckm == CKM.SHA256_HMAC ? HashAlg.SHA256 : HashAlg.SHA512;
                        HMac bc = new HMac(h.newBcDigest());
                        bc.init(new KeyParameter(keyBytes));
                        bc.update(data, 0, len);
                        byte[] expected = new byte[bc.getMacSize()];
                        bc.doFinal(expected, 0);
                        assertArrayEquals(expected, whole);
                    }
                });
    }

    @Test
    void genericSecretKeyGenHonoursValueLenAndRange() {
        MechanismImpl gen = impl(CKM.GENERIC_SECRET_KEY_GEN);
        List<Attribute> attrs = gen.generateKey(Mechanism.of(CKM.GENERIC_SECRET_KEY_GEN), new TemplateView(List.of(Attribute.of(CKA.VALUE_LEN, 48L))));
        assertEquals(48, attrs.stream().filter(a -> a.type() == CKA.VALUE).findFirst().orElseThrow().value().length);
        assertRv(CKR.KEY_SIZE_RANGE, () -> gen.generateKey(Mechanism.of(CKM.GENERIC_SECRET_KEY_GEN), new TemplateView(List.of(Attribute.of(CKA.VALUE_LEN, 0L)))));
        assertRv(CKR.TEMPLATE_INCOMPLETE, () -> gen.generateKey(Mechanism.of(CKM.GENERIC_SECRET_KEY_GEN), new TemplateView(List.of())));
    }
}
