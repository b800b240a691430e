package io.jhsm.engine.mechanism.aes;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.hex;
import static io.jhsm.engine.mechanism.TestKeys.impl;
import static io.jhsm.engine.mechanism.TestKeys.run;
import static io.jhsm.engine.mechanism.TestKeys.secret;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.engine.mechanism.Bytes;
import io.jhsm.engine.mechanism.Externals;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.BufferedBlockCipher;
import org.bouncycastle.crypto.DefaultBufferedBlockCipher;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CFBBlockCipher;
import org.bouncycastle.crypto.modes.OFBBlockCipher;
import org.bouncycastle.crypto.params.KeyParameter;
import org.bouncycastle.crypto.params.ParametersWithIV;
import org.junit.jupiter.api.Test;

/** OFB/CFB (SunJCE) against BC; CTS, CMAC, CCM (BC) against RFC/NIST vectors and JCA; XTS (ours) against IEEE 1619 and OpenSSL. */
class AesModesFamilyTest {
    private static final byte[] KEY = bytes(32, 1);
    private static final KeyView AES = secret(CKK.AES, KEY);
    private static final byte[] IV = bytes(16, 2);

    private static byte[] enc(long ckm, MechanismParams p, KeyView k, byte[] data) {
        return run(impl(ckm).encrypt(Mechanism.of(ckm, p), k), data);
    }

    private static byte[] dec(long ckm, MechanismParams p, KeyView k, byte[] data) {
        return run(impl(ckm).decrypt(Mechanism.of(ckm, p), k), data);
    }

    private static byte[] bc(org.bouncycastle.crypto.BlockCipher mode, byte[] data) {
        BufferedBlockCipher c = new DefaultBufferedBlockCipher(mode);
        c.init(true, new ParametersWithIV(new KeyParameter(KEY), IV));
        byte[] out = new byte[c.getOutputSize(data.length)];
        int n = c.processBytes(data, 0, data.length, out, 0);
        try {
            c.doFinal(out, n);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    @Test
    void ofbAndCfbMatchBouncyCastle() {
        MechanismParams.Bytes iv = new MechanismParams.Bytes(IV);
        for (int len : new int[] {1, 16, 37, 100}) {
            byte[] data = bytes(len, len);
            assertArrayEquals(bc(new OFBBlockCipher(AESEngine.newInstance(), 128), data), enc(CKM.AES_OFB, iv, AES, data));
            assertArrayEquals(bc(CFBBlockCipher.newInstance(AESEngine.newInstance(), 8), data), enc(CKM.AES_CFB8, iv, AES, data));
            assertArrayEquals(bc(CFBBlockCipher.newInstance(AESEngine.newInstance(), 128), data), enc(CKM.AES_CFB128, iv, AES, data));
            assertArrayEquals(data, dec(CKM.AES_CFB8, iv, AES, enc(CKM.AES_CFB8, iv, AES, data)));
        }
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> impl(CKM.AES_OFB).encrypt(Mechanism.of(CKM.AES_OFB, new MechanismParams.Bytes(new byte[8])), AES));
    }

    @Test
    void ctsIsCbcWithTheLastTwoBlocksSwappedAndMatchesRfc3962() throws Exception {
        KeyView chicken = secret(CKK.AES, hex("636869636b656e207465726979616b69"));
        MechanismParams.Bytes zero = new MechanismParams.Bytes(new byte[16]);
        assertArrayEquals(hex("c6353568f2bf8cb4d8a580362da7ff7f97"), enc(CKM.AES_CTS, zero, chicken, hex("4920776f756c64206c696b652074686520")));
        Cipher cbc = Cipher.getInstance("AES/CBC/NoPadding");
        for (int len = 17; len <= 80; len += 7) {
            byte[] data = bytes(len, len);
            int padded = (len + 15) / 16 * 16;
            cbc.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(KEY, "AES"), new IvParameterSpec(IV));
            byte[] c = cbc.doFinal(Arrays.copyOf(data, padded));
            // CBC-CS3: ... C[n-2], C[n] (whole), then C[n-1] truncated to the final partial length.
            byte[] expected = TestKeys.concat(Arrays.copyOf(c, padded - 32), Arrays.copyOfRange(c, padded - 16, padded),
                    Arrays.copyOfRange(c, padded - 32, padded - 32 + (len - (padded - 16))));
            byte[] ours = enc(CKM.AES_CTS, new MechanismParams.Bytes(IV), AES, data);
            assertArrayEquals(expected, ours, "length " + len);
            assertArrayEquals(data, dec(CKM.AES_CTS, new MechanismParams.Bytes(IV), AES, ours));
        }
        assertRv(CKR.DATA_LEN_RANGE, () -> enc(CKM.AES_CTS, zero, AES, bytes(15, 1)));
    }

    @Test
    void cmacMatchesSp800_38bExamples() {
        KeyView k = secret(CKK.AES, hex("2b7e151628aed2a6abf7158809cf4f3c"));
        SignOperation s = impl(CKM.AES_CMAC).sign(Mechanism.of(CKM.AES_CMAC), k);
        s.update(new byte[0]);
        assertArrayEquals(hex("bb1d6929e95937287fa37d129b756746"), s.sign());
        SignOperation g = impl(CKM.AES_CMAC_GENERAL).sign(Mechanism.of(CKM.AES_CMAC_GENERAL, new MechanismParams.UlongValue(8)), k);
        g.update(hex("6bc1bee22e409f96"));
        g.update(hex("e93d7e117393172a"));
        assertArrayEquals(hex("070a16b46b4d4144"), g.sign());
        VerifyOperation v = impl(CKM.AES_CMAC).verify(Mechanism.of(CKM.AES_CMAC), k);
        v.update(hex("6bc1bee22e409f96e93d7e117393172a"));
        v.verify(hex("070a16b46b4d4144f79bdd9dd04a287c"));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> impl(CKM.AES_CMAC_GENERAL).sign(Mechanism.of(CKM.AES_CMAC_GENERAL, new MechanismParams.UlongValue(17)), k));
        VerifyOperation bad = impl(CKM.AES_CMAC).verify(Mechanism.of(CKM.AES_CMAC), k);
        bad.update(new byte[1]);
        assertRv(CKR.SIGNATURE_INVALID, () -> bad.verify(hex("070a16b46b4d4144f79bdd9dd04a287c")));
    }

    @Test
    void ccmMatchesSp800_38cExample1() {
        KeyView k = secret(CKK.AES, hex("404142434445464748494a4b4c4d4e4f"));
        MechanismParams.Ccm p = new MechanismParams.Ccm(4, hex("10111213141516"), hex("0001020304050607"), 4);
        assertArrayEquals(hex("7162015b4dac255d"), enc(CKM.AES_CCM, p, k, hex("20212223")));
        assertArrayEquals(hex("20212223"), dec(CKM.AES_CCM, p, k, hex("7162015b4dac255d")));
        assertRv(CKR.ENCRYPTED_DATA_INVALID, () -> dec(CKM.AES_CCM, p, k, hex("7162015b4dac255e")));
        assertRv(CKR.DATA_LEN_RANGE, () -> enc(CKM.AES_CCM, p, k, hex("2021222324")));
        assertRv(CKR.ENCRYPTED_DATA_LEN_RANGE, () -> dec(CKM.AES_CCM, p, k, hex("7162015b4dac25")));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> enc(CKM.AES_CCM, new MechanismParams.Ccm(4, hex("1011121314"), null, 4), k, hex("20212223")));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> enc(CKM.AES_CCM, new MechanismParams.Ccm(4, hex("10111213141516"), null, 5), k, hex("20212223")));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> enc(CKM.AES_CCM, new MechanismParams.Ccm(1 << 16, hex("10111213141516171819101112"), null, 4), k, new byte[0]));
    }

    @Test
    void xtsMatchesIeee1619AndOpenssl() {
        KeyView zero = secret(CKK.AES_XTS, new byte[32]);
        MechanismParams.Bytes t0 = new MechanismParams.Bytes(new byte[16]);
        assertArrayEquals(hex("917cf69ebd68b2ec9b9fe9a3eadda692cd43d2f59598ed858c02c2652fbf922e"), enc(CKM.AES_XTS, t0, zero, new byte[32]));
        for (int keyLen : new int[] {32, 64}) {
            byte[] key = bytes(keyLen, keyLen);
            byte[] tweak = bytes(16, 9);
            for (int len : new int[] {16, 17, 31, 48, 65, 100}) {
                byte[] data = bytes(len, len);
                byte[] ours = enc(CKM.AES_XTS, new MechanismParams.Bytes(tweak), secret(CKK.AES_XTS, key), data);
                assertArrayEquals(Externals.xts(key, tweak, data), ours, keyLen + "/" + len);
                assertArrayEquals(data, dec(CKM.AES_XTS, new MechanismParams.Bytes(tweak), secret(CKK.AES_XTS, key), ours), keyLen + "/" + len);
            }
        }
        assertRv(CKR.DATA_LEN_RANGE, () -> enc(CKM.AES_XTS, t0, zero, new byte[15]));
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> enc(CKM.AES_XTS, t0, AES, new byte[16]));
        assertRv(CKR.KEY_SIZE_RANGE, () -> enc(CKM.AES_XTS, t0, secret(CKK.AES_XTS, new byte[48]), new byte[16]));
        List<Attribute> gen = impl(CKM.AES_XTS_KEY_GEN).generateKey(Mechanism.of(CKM.AES_XTS_KEY_GEN), new TemplateView(List.of(Attribute.of(CKA.VALUE_LEN, 64L))));
        assertEquals(CKK.AES_XTS, io.jhsm.pkcs11.Ulong.decode(gen.get(0).value()));
        assertEquals(64, gen.get(1).value().length);
        assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> impl(CKM.AES_XTS_KEY_GEN).generateKey(Mechanism.of(CKM.AES_XTS_KEY_GEN),
                new TemplateView(List.of(Attribute.of(CKA.VALUE_LEN, 16L)))));
    }
}
