package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKG;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams.CcmMessage;
import io.jhsm.pkcs11.MechanismParams.GcmMessage;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.CCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

/**
 * PKCS#11 3.0 message-based encryption, decryption and MACs, cross-checked against the JDK's own
 * AES-GCM and HMAC (SunJCE called directly here) and, for CCM, Bouncy Castle's CCM called directly.
 */
class MessageApiTest extends LoggedInUserTest {
    static final byte[] KEY = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    static final byte[] AAD = bytes("header");
    static final byte[] TEXT = bytes("a message of some forty-one bytes, or so.");

    long key(long keyType, long... flags) {
        List<Attribute> t = new java.util.ArrayList<>(List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, keyType), Attribute.of(CKA.VALUE, KEY)));
        for (long flag : flags) {
            t.add(Attribute.of(flag, true));
        }
        return f.engine.C_CreateObject(s, t);
    }

    static byte[] jdkGcm(int mode, byte[] iv, byte[] in) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        c.init(mode, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, iv));
        c.updateAAD(AAD);
        return c.doFinal(in);
    }

    static GcmMessage gcm(byte[] iv, long fixedBits, long generator) {
        return new GcmMessage(iv, fixedBits, generator, new byte[16], 128);
    }

    static byte[] cat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void gcmRandomIvKeepsTheFixedPartAndMatchesTheJdk() throws Exception {
        long k = key(CKK.AES, CKA.ENCRYPT, CKA.DECRYPT);
        f.engine.C_MessageEncryptInit(s, Mechanism.of(CKM.AES_GCM), k);
        byte[] fixed = {(byte) 0xCA, (byte) 0xFE, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        GcmMessage p = gcm(fixed.clone(), 16, CKG.GENERATE_RANDOM);
        assertEquals(TEXT.length, f.engine.C_EncryptMessage(s, p, AAD, TEXT, null), "length query");
        assertThrows(BufferTooSmallException.class, () -> f.engine.C_EncryptMessage(s, p, AAD, TEXT, new byte[3]));
        byte[] ct = new byte[TEXT.length];
        assertEquals(TEXT.length, f.engine.C_EncryptMessage(s, p, AAD, TEXT, ct));
        assertArrayEquals(Arrays.copyOf(fixed, 2), Arrays.copyOf(p.iv(), 2), "the fixed 16 bits are the caller's");
        assertFalse(Arrays.equals(fixed, p.iv()), "the rest is generated");
        assertArrayEquals(jdkGcm(Cipher.ENCRYPT_MODE, p.iv(), TEXT), cat(ct, p.tag()));

        GcmMessage second = gcm(fixed.clone(), 16, CKG.GENERATE_RANDOM);
        f.engine.C_EncryptMessage(s, second, AAD, TEXT, new byte[TEXT.length]);
        assertFalse(Arrays.equals(p.iv(), second.iv()), "a fresh IV per message");
        f.engine.C_MessageEncryptFinal(s);
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_EncryptMessage(s, p, AAD, TEXT, ct));

        f.engine.C_MessageDecryptInit(s, Mechanism.of(CKM.AES_GCM), k);
        byte[] out = new byte[TEXT.length];
        assertEquals(TEXT.length, f.engine.C_DecryptMessage(s, p, AAD, ct, out));
        assertArrayEquals(TEXT, out);
        p.tag()[0] ^= 1;
        assertRv(CKR.ENCRYPTED_DATA_INVALID, () -> f.engine.C_DecryptMessage(s, p, AAD, ct, out));
        p.tag()[0] ^= 1;
        Arrays.fill(out, (byte) 0);
        f.engine.C_DecryptMessage(s, p, AAD, ct, out);
        assertArrayEquals(TEXT, out, "a bad tag ends that message only, not the operation");
        f.engine.C_MessageDecryptFinal(s);
    }

    @Test
    void gcmCounterAndXorGeneratorsCountPerMessage() throws Exception {
        long k = key(CKK.AES, CKA.ENCRYPT);
        f.engine.C_MessageEncryptInit(s, Mechanism.of(CKM.AES_GCM), k);
        byte[] base = HexFormat.of().parseHex("a0a1a2a3a4a5a6a7a8a9aaab");
        for (int i = 0; i < 3; i++) {
            GcmMessage p = gcm(base.clone(), 64, CKG.GENERATE_COUNTER);
            byte[] ct = new byte[TEXT.length];
            f.engine.C_EncryptMessage(s, p, AAD, TEXT, ct);
            assertEquals("a0a1a2a3a4a5a6a7" + String.format("%08x", i), HexFormat.of().formatHex(p.iv()));
            assertArrayEquals(jdkGcm(Cipher.ENCRYPT_MODE, p.iv(), TEXT), cat(ct, p.tag()));
        }
        GcmMessage xor = gcm(base.clone(), 0, CKG.GENERATE_COUNTER_XOR);
        f.engine.C_EncryptMessage(s, xor, AAD, TEXT, new byte[TEXT.length]);
        assertEquals("a0a1a2a3a4a5a6a7a8a9aaa8", HexFormat.of().formatHex(xor.iv()), "counter 3 XORed into the low bits");
    }

    @Test
    void callerIvIsUsedOnceAndAFailedMessageLeavesTheOperation() {
        long k = key(CKK.AES, CKA.ENCRYPT);
        f.engine.C_MessageEncryptInit(s, Mechanism.of(CKM.AES_GCM), k);
        byte[] iv = new byte[12];
        iv[11] = 7;
        f.engine.C_EncryptMessage(s, gcm(iv, 0, CKG.NO_GENERATE), AAD, TEXT, new byte[TEXT.length]);
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> f.engine.C_EncryptMessage(s, gcm(iv, 0, CKG.NO_GENERATE), AAD, TEXT, new byte[99]));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> f.engine.C_EncryptMessage(s, new GcmMessage(new byte[12], 0, 0, new byte[16], 64), AAD, TEXT, null));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> f.engine.C_EncryptMessage(s, null, AAD, TEXT, null));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> f.engine.C_EncryptMessage(s, new CcmMessage(0, new byte[12], 0, 0, new byte[16]), AAD, TEXT, null));
        iv[11] = 8;
        assertEquals(TEXT.length, f.engine.C_EncryptMessage(s, gcm(iv, 0, CKG.NO_GENERATE), AAD, TEXT, new byte[TEXT.length]));
    }

    @Test
    void multiPartMessagesMatchTheJdk() throws Exception {
        long k = key(CKK.AES, CKA.ENCRYPT, CKA.DECRYPT);
        f.engine.C_MessageEncryptInit(s, Mechanism.of(CKM.AES_GCM), k);
        GcmMessage p = gcm(new byte[12], 32, CKG.GENERATE_COUNTER);
        f.engine.C_EncryptMessageBegin(s, p, AAD);
        assertRv(CKR.OPERATION_ACTIVE, () -> f.engine.C_EncryptMessage(s, p, AAD, TEXT, null));
        byte[] a = new byte[64];
        byte[] ct = new byte[0];
        for (int[] range : new int[][] {{0, 5}, {5, 30}}) {
            int n = f.engine.C_EncryptMessageNext(s, p, Arrays.copyOfRange(TEXT, range[0], range[1]), a, 0);
            ct = cat(ct, Arrays.copyOf(a, n));
        }
        byte[] lastPart = Arrays.copyOfRange(TEXT, 30, TEXT.length);
        int len = f.engine.C_EncryptMessageNext(s, p, lastPart, null, CKF.END_OF_MESSAGE);
        int n = f.engine.C_EncryptMessageNext(s, p, lastPart, a, CKF.END_OF_MESSAGE);
        assertEquals(len, n);
        ct = cat(ct, Arrays.copyOf(a, n));
        assertArrayEquals(jdkGcm(Cipher.ENCRYPT_MODE, p.iv(), TEXT), cat(ct, p.tag()));
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_EncryptMessageNext(s, p, TEXT, a, 0));

        f.engine.C_MessageDecryptInit(s, Mechanism.of(CKM.AES_GCM), k);
        f.engine.C_DecryptMessageBegin(s, p, AAD);
        byte[] pt = new byte[0];
        pt = cat(pt, Arrays.copyOf(a, f.engine.C_DecryptMessageNext(s, null, Arrays.copyOf(ct, 20), a, 0)));
        pt = cat(pt, Arrays.copyOf(a, f.engine.C_DecryptMessageNext(s, p, Arrays.copyOfRange(ct, 20, ct.length), a, CKF.END_OF_MESSAGE)));
        assertArrayEquals(TEXT, pt);
    }

    @Test
    void ccmMessagesMatchBouncyCastle() throws Exception {
        long k = key(CKK.AES, CKA.ENCRYPT, CKA.DECRYPT);
        f.engine.C_MessageEncryptInit(s, Mechanism.of(CKM.AES_CCM), k);
        CcmMessage p = new CcmMessage(TEXT.length, new byte[13], 40, CKG.GENERATE_RANDOM, new byte[12]);
        byte[] ct = new byte[TEXT.length];
        f.engine.C_EncryptMessage(s, p, AAD, TEXT, ct);
        CCMBlockCipher bc = new CCMBlockCipher(new AESEngine());
        bc.init(true, new AEADParameters(new KeyParameter(KEY), 96, p.nonce(), AAD));
        byte[] expected = new byte[bc.getOutputSize(TEXT.length)];
        bc.doFinal(expected, bc.processBytes(TEXT, 0, TEXT.length, expected, 0));
        assertArrayEquals(expected, cat(ct, p.mac()));

        f.engine.C_MessageDecryptInit(s, Mechanism.of(CKM.AES_CCM), k);
        byte[] pt = new byte[TEXT.length];
        f.engine.C_DecryptMessage(s, p, AAD, ct, pt);
        assertArrayEquals(TEXT, pt);
        assertRv(CKR.ENCRYPTED_DATA_INVALID, () -> f.engine.C_DecryptMessage(s, p, bytes("other"), ct, pt));
    }

    @Test
    void hmacMessagesMatchTheJdk() throws Exception {
        long k = key(CKK.GENERIC_SECRET, CKA.SIGN, CKA.VERIFY);
        Mac jdk = Mac.getInstance("HmacSHA256", "SunJCE");
        jdk.init(new SecretKeySpec(KEY, "HMAC"));
        f.engine.C_MessageSignInit(s, Mechanism.of(CKM.SHA256_HMAC), k);
        byte[] mac = new byte[32];
        assertEquals(32, f.engine.C_SignMessage(s, null, TEXT, null));
        f.engine.C_SignMessage(s, null, TEXT, mac);
        assertArrayEquals(jdk.doFinal(TEXT), mac);
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> f.engine.C_SignMessage(s, gcm(new byte[12], 0, 0), TEXT, mac));
        f.engine.C_SignMessageBegin(s, null);
        f.engine.C_SignMessageNext(s, null, Arrays.copyOf(TEXT, 10), false, null);
        byte[] rest = Arrays.copyOfRange(TEXT, 10, TEXT.length);
        assertEquals(32, f.engine.C_SignMessageNext(s, null, rest, true, null));
        byte[] mac2 = new byte[32];
        f.engine.C_SignMessageNext(s, null, rest, true, mac2);
        assertArrayEquals(mac, mac2);
        f.engine.C_MessageSignFinal(s);

        f.engine.C_MessageVerifyInit(s, Mechanism.of(CKM.SHA256_HMAC), k);
        f.engine.C_VerifyMessage(s, null, TEXT, mac);
        mac[0] ^= 1;
        assertRv(CKR.SIGNATURE_INVALID, () -> f.engine.C_VerifyMessage(s, null, TEXT, mac));
        mac[0] ^= 1;
        f.engine.C_VerifyMessageBegin(s, null);
        f.engine.C_VerifyMessageNext(s, null, Arrays.copyOf(TEXT, 10), null);
        f.engine.C_VerifyMessageNext(s, null, rest, mac);
        f.engine.C_MessageVerifyFinal(s);
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_MessageVerifyFinal(s));
    }

    @Test
    void initChecksLikeTheOtherInitCalls() {
        long encryptOnly = f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE, KEY), Attribute.of(CKA.DECRYPT, false)));
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED, () -> f.engine.C_MessageDecryptInit(s, Mechanism.of(CKM.AES_GCM), encryptOnly));
        assertRv(CKR.MECHANISM_INVALID, () -> f.engine.C_MessageEncryptInit(s, Mechanism.of(CKM.AES_CBC_PAD), encryptOnly));
        assertRv(CKR.KEY_HANDLE_INVALID, () -> f.engine.C_MessageEncryptInit(s, Mechanism.of(CKM.AES_GCM), 999_999));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> f.engine.C_MessageEncryptInit(s,
                Mechanism.of(CKM.AES_GCM, new io.jhsm.pkcs11.MechanismParams.Gcm(new byte[12], 96, new byte[0], 128)), encryptOnly));
        long hmacKey = key(CKK.GENERIC_SECRET, CKA.SIGN, CKA.ENCRYPT);
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> f.engine.C_MessageEncryptInit(s, Mechanism.of(CKM.AES_GCM), hmacKey));
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_EncryptMessageBegin(s, null, AAD));

        f.engine.C_MessageEncryptInit(s, Mechanism.of(CKM.AES_GCM), encryptOnly);
        assertRv(CKR.OPERATION_ACTIVE, () -> f.engine.C_MessageEncryptInit(s, Mechanism.of(CKM.AES_GCM), encryptOnly));
        f.engine.C_EncryptInit(s, Mechanism.of(CKM.AES_ECB), encryptOnly);
        f.engine.C_SessionCancel(s, CKF.MESSAGE_ENCRYPT);
        f.engine.C_MessageEncryptInit(s, Mechanism.of(CKM.AES_GCM), encryptOnly);
        f.engine.C_MessageEncryptInit(s, null, 0);
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_MessageEncryptFinal(s));
        assertEquals(16, f.engine.C_Encrypt(s, new byte[16], null), "the classic operation is separate");
    }

    @Test
    void mechanismInfoAdvertisesTheMessageFunctions() {
        long gcm = f.engine.C_GetMechanismInfo(0, CKM.AES_GCM).flags();
        long ccm = f.engine.C_GetMechanismInfo(0, CKM.AES_CCM).flags();
        long hmac = f.engine.C_GetMechanismInfo(0, CKM.SHA256_HMAC).flags();
        long both = CKF.MESSAGE_ENCRYPT | CKF.MESSAGE_DECRYPT;
        assertEquals(both, gcm & both);
        assertEquals(both, ccm & both);
        assertEquals(CKF.MESSAGE_SIGN | CKF.MESSAGE_VERIFY, hmac & (CKF.MESSAGE_SIGN | CKF.MESSAGE_VERIFY));
        assertNotEquals(0, f.engine.C_GetMechanismInfo(0, CKM.AES_CBC).flags() & CKF.ENCRYPT);
        assertTrue((f.engine.C_GetMechanismInfo(0, CKM.AES_CBC).flags() & CKF.MESSAGE_ENCRYPT) == 0);
    }
}
