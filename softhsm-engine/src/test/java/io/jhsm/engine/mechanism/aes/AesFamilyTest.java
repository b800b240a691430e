package io.jhsm.engine.mechanism.aes;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.hex;
import static io.jhsm.engine.mechanism.TestKeys.impl;
import static io.jhsm.engine.mechanism.TestKeys.run;
import static io.jhsm.engine.mechanism.TestKeys.secret;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.jhsm.engine.mechanism.Bytes;
import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.DefaultBufferedBlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CBCBlockCipher;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.modes.GCMModeCipher;
import org.bouncycastle.crypto.modes.SICBlockCipher;
import org.bouncycastle.crypto.paddings.PaddedBufferedBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

class AesFamilyTest {
    private static final byte[] KEY = bytes(32, 7);
    private static final KeyView AES = secret(CKK.AES, KEY);
    private static final byte[] IV = bytes(16, 8);

    private static CipherOperation enc(long ckm, MechanismParams p) {
        return impl(ckm).encrypt(Mechanism.of(ckm, p), AES);
    }

    private static CipherOperation dec(long ckm, MechanismParams p) {
        return impl(ckm).decrypt(Mechanism.of(ckm, p), AES);
    }

    private static MechanismParams.Gcm gcm(byte[] iv, byte[] aad, long tagBits) {
        return new MechanismParams.Gcm(iv, iv.length * 8L, aad, tagBits);
    }

    /** NIST GCM spec (McGrew-Viega) test case 4: AES-128, 96-bit IV, AAD, 60-byte plaintext. */
    @Test
    void gcmMatchesNistTestCase4() {
        KeyView k = secret(CKK.AES, hex("feffe9928665731c6d6a8f9467308308"));
        byte[] pt = hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525"
                + "b16aedf5aa0de657ba637b39");
        MechanismParams.Gcm p = gcm(hex("cafebabefacedbaddecaf888"), hex("feedfacedeadbeeffeedfacedeadbeefabaddad2"), 128);
        byte[] ct = run(impl(CKM.AES_GCM).encrypt(Mechanism.of(CKM.AES_GCM, p), k), pt);
        assertArrayEquals(hex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa05"
                + "1ba30b396a0aac973d58e091" + "5bc94fbc3221a5db94fae95ae7121a47"), ct);
        assertArrayEquals(pt, run(impl(CKM.AES_GCM).decrypt(Mechanism.of(CKM.AES_GCM, p), k), ct));
    }

    @Test
    void gcmDecryptRejectsTamperedTagWithEncryptedDataInvalid() {
        MechanismParams.Gcm p = gcm(bytes(12, 1), new byte[0], 128);
        byte[] ct = run(enc(CKM.AES_GCM, p), bytes(40, 2));
        ct[ct.length - 1] ^= 1;
        CipherOperation d = dec(CKM.AES_GCM, p);
        d.update(ct);
        assertRv(CKR.ENCRYPTED_DATA_INVALID, d::doFinal);
    }

    @Test
    void gcmDecryptReleasesNothingBeforeFinal() {
        MechanismParams.Gcm p = gcm(bytes(12, 1), bytes(5, 3), 96);
        byte[] pt = bytes(100, 2);
        byte[] ct = run(enc(CKM.AES_GCM, p), pt);
        assertEquals(100 + 12, ct.length);
        CipherOperation d = dec(CKM.AES_GCM, p);
        assertEquals(0, d.update(Arrays.copyOf(ct, 60)).length);
        assertEquals(0, d.update(Arrays.copyOfRange(ct, 60, ct.length)).length);
        assertArrayEquals(pt, d.doFinal());
    }

    @Test
    void gcmRejectsBadTagLengthsAndEmptyIv() {
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> enc(CKM.AES_GCM, gcm(bytes(12, 1), new byte[0], 64)));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> enc(CKM.AES_GCM, gcm(bytes(12, 1), new byte[0], 100)));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> enc(CKM.AES_GCM, gcm(new byte[0], new byte[0], 128)));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> enc(CKM.AES_GCM, new MechanismParams.Bytes(IV)));
    }

    /** PKCS#11 3.0 §2.13.5: ulIvLen gives the IV length; ulIvBits is not to be relied on, so any value works alike. */
    @Test
    void gcmIgnoresUlIvBits() {
        byte[] iv = bytes(12, 1);
        byte[] pt = bytes(40, 2);
        byte[] expected = bcGcm(KEY, iv, new byte[0], 128, pt);
        for (long ivBits : new long[] {0, 64, 96, 97, 12, 0xFFFFFFFFL}) {
            MechanismParams.Gcm p = new MechanismParams.Gcm(iv, ivBits, new byte[0], 128);
            assertArrayEquals(expected, run(enc(CKM.AES_GCM, p), pt), "ulIvBits " + ivBits);
            assertArrayEquals(pt, run(dec(CKM.AES_GCM, p), expected), "ulIvBits " + ivBits);
        }
    }

    @Test
    void gcmDecryptOfInputShorterThanTagIsLenRange() {
        CipherOperation d = dec(CKM.AES_GCM, gcm(bytes(12, 1), new byte[0], 128));
        d.update(new byte[15]);
        assertRv(CKR.ENCRYPTED_DATA_LEN_RANGE, d::doFinal);
    }

    @Test
    void cbcPadRejectsBadPadding() {
        byte[] ct = run(enc(CKM.AES_CBC_PAD, new MechanismParams.Bytes(IV)), bytes(20, 4));
        ct[ct.length - 1] ^= 0x55; // garbles the last plaintext block, padding included
        assertRv(CKR.ENCRYPTED_DATA_INVALID, () -> run(dec(CKM.AES_CBC_PAD, new MechanismParams.Bytes(IV)), ct));
    }

    @Test
    void cbcWithoutPaddingRejectsPartialBlocksAtFinal() {
        CipherOperation e = enc(CKM.AES_CBC, new MechanismParams.Bytes(IV));
        e.update(new byte[17]);
        assertRv(CKR.DATA_LEN_RANGE, e::doFinal);
        CipherOperation d = dec(CKM.AES_CBC, new MechanismParams.Bytes(IV));
        d.update(new byte[33]);
        assertRv(CKR.ENCRYPTED_DATA_LEN_RANGE, d::doFinal);
        CipherOperation padDec = dec(CKM.AES_CBC_PAD, new MechanismParams.Bytes(IV));
        padDec.update(new byte[17]);
        assertRv(CKR.ENCRYPTED_DATA_LEN_RANGE, padDec::doFinal);
    }

    @Test
    void cbcAndCtrRejectBadIvOrCounterParameters() {
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> enc(CKM.AES_CBC, new MechanismParams.Bytes(new byte[15])));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> enc(CKM.AES_CBC_PAD, null));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> enc(CKM.AES_ECB, new MechanismParams.Bytes(IV)));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> enc(CKM.AES_CTR, new MechanismParams.Ctr(0, IV)));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> enc(CKM.AES_CTR, new MechanismParams.Ctr(129, IV)));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> enc(CKM.AES_CTR, new MechanismParams.Ctr(64, new byte[8])));
    }

    @Test
    void aesRejectsWrongKeyTypeAndSize() {
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> impl(CKM.AES_ECB).encrypt(Mechanism.of(CKM.AES_ECB), secret(CKK.GENERIC_SECRET, new byte[16])));
        assertRv(CKR.KEY_SIZE_RANGE, () -> impl(CKM.AES_ECB).encrypt(Mechanism.of(CKM.AES_ECB), secret(CKK.AES, new byte[20])));
    }

    /** With ulCounterBits = 8 only the last byte counts: 0xff wraps to 0x00 without carrying. */
    @Test
    void ctrIncrementsOnlyTheCounterBits() throws Exception {
        byte[] cb = bytes(16, 9);
        cb[15] = (byte) 0xff;
        byte[] out = run(enc(CKM.AES_CTR, new MechanismParams.Ctr(8, cb)), new byte[32]);
        byte[] second = cb.clone();
        second[15] = 0;
        AESEngine aes = new AESEngine();
        aes.init(true, new KeyParameter(KEY));
        byte[] expected = new byte[32];
        aes.processBlock(cb, 0, expected, 0);
        aes.processBlock(second, 0, expected, 16);
        assertArrayEquals(expected, out);
    }

    @Test
    void ctrRefusesToRepeatTheCounter() {
        CipherOperation e = enc(CKM.AES_CTR, new MechanismParams.Ctr(2, IV));
        e.update(new byte[64]); // exactly 4 blocks: all values of a 2-bit counter
        assertRv(CKR.DATA_LEN_RANGE, () -> e.update(new byte[1]));
    }

    @Test
    void allModesAgreeWithBouncyCastleAndAcrossSplits() {
        qt().withExamples(60).forAll(integers().between(0, 80), integers().all(), integers().between(0, 80))
                .checkAssert((len, seed, split) -> {
                    byte[] data = bytes(len, seed);
                    byte[] blockData = bytes(len / 16 * 16, seed);
                    MechanismParams.Bytes iv = new MechanismParams.Bytes(IV);
                    roundTrip(CKM.AES_ECB, null, blockData, split, bc(new DefaultBufferedBlockCipher(new AESEngine()), null, blockData));
                    roundTrip(CKM.AES_CBC, iv, blockData, split, bc(new DefaultBufferedBlockCipher(CBCBlockCipher.newInstance(new AESEngine())), IV, blockData));
                    roundTrip(CKM.AES_CBC_PAD, iv, data, split, bc(new PaddedBufferedBlockCipher(CBCBlockCipher.newInstance(new AESEngine())), IV, data));
                    roundTrip(CKM.AES_CTR, new MechanismParams.Ctr(128, IV), data, split, bc(new DefaultBufferedBlockCipher(SICBlockCipher.newInstance(new AESEngine())), IV, data));
                    byte[] nonce = bytes(12, seed + 1);
                    byte[] aad = bytes(len % 20, seed + 2);
                    roundTrip(CKM.AES_GCM, gcm(nonce, aad, 128), data, split, bcGcm(KEY, nonce, aad, 128, data));
                });
    }

    /** Inputs above 16 KiB go to SunJCE in pieces (for the JIT's AES-NI stub): the result must not show it. */
    @Test
    void largeInputsAgreeWithBouncyCastleAcrossPieceBoundaries() {
        MechanismParams.Bytes iv = new MechanismParams.Bytes(IV);
        for (int len : new int[] {16 * 1024, 16 * 1024 + 1, 16 * 1024 + 17, 3 * 16 * 1024 - 5, 100_000}) {
            for (int split : new int[] {0, 5, 16 * 1024 - 3, len / 2}) {
                byte[] data = bytes(len, len + split);
                byte[] blockData = bytes(len / 16 * 16, len);
                roundTrip(CKM.AES_ECB, null, blockData, split, bc(new DefaultBufferedBlockCipher(new AESEngine()), null, blockData));
                roundTrip(CKM.AES_CBC, iv, blockData, split, bc(new DefaultBufferedBlockCipher(CBCBlockCipher.newInstance(new AESEngine())), IV, blockData));
                roundTrip(CKM.AES_CBC_PAD, iv, data, split, bc(new PaddedBufferedBlockCipher(CBCBlockCipher.newInstance(new AESEngine())), IV, data));
            }
        }
    }

    private static void roundTrip(long ckm, MechanismParams p, byte[] data, int split, byte[] expected) {
        byte[] single = run(enc(ckm, p), data);
        assertArrayEquals(expected, single, CKM.name(ckm) + " vs BC");
        assertArrayEquals(single, run(enc(ckm, p), data, split), CKM.name(ckm) + " split");
        assertArrayEquals(data, run(dec(ckm, p), single, split), CKM.name(ckm) + " decrypt");
    }

    private static byte[] bc(BufferedBlockCipher c, byte[] iv, byte[] data) {
        c.init(true, iv == null ? new KeyParameter(KEY) : new ParametersWithIV(new KeyParameter(KEY), iv));
        byte[] out = new byte[c.getOutputSize(data.length)];
        int n = c.processBytes(data, 0, data.length, out, 0);
        try {
            n += c.doFinal(out, n);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return Arrays.copyOf(out, n);
    }

    /** AES-GCM encryption by Bouncy Castle, the independent implementation. */
    static byte[] bcGcm(byte[] key, byte[] nonce, byte[] aad, int tagBits, byte[] data) {
        GCMModeCipher c = GCMBlockCipher.newInstance(new AESEngine());
        c.init(true, new AEADParameters(new KeyParameter(key), tagBits, nonce, aad));
        byte[] out = new byte[c.getOutputSize(data.length)];
        int n = c.processBytes(data, 0, data.length, out, 0);
        try {
            c.doFinal(out, n);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return out;
    }

    @Test
    void aesKeyGenProducesRequestedLengthOnly() {
        MechanismImpl gen = impl(CKM.AES_KEY_GEN);
        List<Attribute> attrs = gen.generateKey(Mechanism.of(CKM.AES_KEY_GEN), new TemplateView(List.of(Attribute.of(CKA.VALUE_LEN, 24L))));
        assertEquals(24, attrs.stream().filter(a -> a.type() == CKA.VALUE).findFirst().orElseThrow().value().length);
        assertEquals(CKK.AES, attrs.stream().filter(a -> a.type() == CKA.KEY_TYPE).findFirst().orElseThrow().asLong());
        assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> gen.generateKey(Mechanism.of(CKM.AES_KEY_GEN), new TemplateView(List.of(Attribute.of(CKA.VALUE_LEN, 20L)))));
    }
}
