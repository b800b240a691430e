package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * The operation lifecycle of PKCS#11 base specification §5.2 and each function's text: a length query
 * consumes nothing, a held output goes only to the call that asked for it with the same input, an AEAD
 * decryption answers CKR_OK only over a verified tag, and every error but CKR_BUFFER_TOO_SMALL ends the
 * operation. The expected bytes come from the JDK's own ciphers and digests.
 */
class OperationLifecycleTest extends LoggedInUserTest {
    private static final byte[] IV = new byte[16];
    private static final byte[] D1 = bytes("first message, thirty-two bytes!");
    private static final byte[] D2 = bytes("second message that differs.....");

    private static byte[] jdk(String transformation, int mode, byte[] data) throws Exception {
        Cipher c = Cipher.getInstance(transformation);
        c.init(mode, new SecretKeySpec(new byte[16], "AES"), transformation.contains("GCM")
                ? new GCMParameterSpec(128, new byte[12]) : new IvParameterSpec(IV));
        return c.doFinal(data);
    }

    private Mechanism cbcPad() {
        return Mechanism.of(CKM.AES_CBC_PAD, new MechanismParams.Bytes(IV));
    }

    private Mechanism gcm() {
        return Mechanism.of(CKM.AES_GCM, new MechanismParams.Gcm(new byte[12], 96, new byte[0], 128));
    }

    @Test
    void aSinglePartLengthQueryDoesNotLeakIntoTheUpdateThatFollows() throws Exception {
        long key = f.aesKey(s);
        f.engine.C_EncryptInit(s, cbcPad(), key);
        int n = f.engine.C_Encrypt(s, D1, null);
        assertEquals(48, n);
        byte[] first = new byte[64];
        int got = f.engine.C_EncryptUpdate(s, D2, first);
        byte[] last = new byte[32];
        int tail = f.engine.C_EncryptFinal(s, last);
        byte[] all = Arrays.copyOf(first, got + tail);
        System.arraycopy(last, 0, all, got, tail);
        assertArrayEquals(jdk("AES/CBC/PKCS5Padding", Cipher.ENCRYPT_MODE, D2), all);
    }

    @Test
    void aFinalLengthQueryDoesNotAnswerTheSinglePartCallAfterUpdates() {
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        f.engine.C_DigestUpdate(s, bytes("a"));
        assertEquals(32, f.engine.C_DigestFinal(s, null));
        assertRv(CKR.OPERATION_ACTIVE, () -> f.engine.C_Digest(s, bytes("bc"), new byte[32]));
        // CKR_OPERATION_ACTIVE from C_Digest ended the operation: a new one starts.
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
    }

    @Test
    void anUpdateLengthQueryConsumesNothing() throws Exception {
        long key = f.aesKey(s);
        f.engine.C_EncryptInit(s, cbcPad(), key);
        assertEquals(true, f.engine.C_EncryptUpdate(s, D1, null) >= 32);
        byte[] out = new byte[32];
        int n = f.engine.C_EncryptFinal(s, out);
        assertArrayEquals(jdk("AES/CBC/PKCS5Padding", Cipher.ENCRYPT_MODE, new byte[0]), Arrays.copyOf(out, n));
    }

    @Test
    void aTamperedGcmMessageIsNeverOkWhateverTheLengthQueries() throws Exception {
        long key = f.aesKey(s);
        byte[] sealed = jdk("AES/GCM/NoPadding", Cipher.ENCRYPT_MODE, D1);
        sealed[sealed.length - 1] ^= 1;
        f.engine.C_DecryptInit(s, gcm(), key);
        f.engine.C_DecryptUpdate(s, sealed, null);
        f.engine.C_DecryptUpdate(s, sealed, null);
        // Nothing was submitted: the length queries consumed nothing.
        assertRv(CKR.ENCRYPTED_DATA_LEN_RANGE, () -> f.engine.C_DecryptFinal(s, new byte[64]));

        f.engine.C_DecryptInit(s, gcm(), key);
        f.engine.C_DecryptUpdate(s, sealed, null);
        f.engine.C_DecryptUpdate(s, sealed, new byte[64]);
        assertEquals(true, f.engine.C_DecryptFinal(s, null) >= 0);
        assertRv(CKR.ENCRYPTED_DATA_INVALID, () -> f.engine.C_DecryptFinal(s, new byte[64]));
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_DecryptFinal(s, new byte[64]));
    }

    @Test
    void anIntactGcmMessageDecryptsAfterLengthQueries() throws Exception {
        long key = f.aesKey(s);
        byte[] sealed = jdk("AES/GCM/NoPadding", Cipher.ENCRYPT_MODE, D1);
        f.engine.C_DecryptInit(s, gcm(), key);
        byte[] part = new byte[f.engine.C_DecryptUpdate(s, sealed, null)];
        int n = f.engine.C_DecryptUpdate(s, sealed, part);
        byte[] rest = new byte[f.engine.C_DecryptFinal(s, null)];
        int m = f.engine.C_DecryptFinal(s, rest);
        byte[] plain = Arrays.copyOf(part, n + m);
        System.arraycopy(rest, 0, plain, n, m);
        assertArrayEquals(D1, plain);
    }

    @Test
    void aTooSmallBufferSpendsNothingEither() throws Exception {
        long key = f.aesKey(s);
        f.engine.C_EncryptInit(s, cbcPad(), key);
        BufferTooSmallException small = assertThrows(BufferTooSmallException.class, () -> f.engine.C_Encrypt(s, D1, new byte[8]));
        assertEquals(48, small.requiredLength());
        // Whatever comes next is answered as if the too-small call had not been made: never with E(D1).
        byte[] out = new byte[48];
        assertEquals(48, f.engine.C_Encrypt(s, D2, out));
        assertArrayEquals(jdk("AES/CBC/PKCS5Padding", Cipher.ENCRYPT_MODE, D2), out);

        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        assertThrows(BufferTooSmallException.class, () -> f.engine.C_Digest(s, D1, new byte[4]));
        assertEquals(32, f.engine.C_DigestFinal(s, null));
        f.engine.C_DigestUpdate(s, D2);
        byte[] digest = new byte[32];
        f.engine.C_DigestFinal(s, digest);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(D2), digest);
    }

    @Test
    void aBufferOfTheExactLengthIsEnoughWhenTheBoundIsLarger() throws Exception {
        long key = f.aesKey(s);
        byte[] sealed = jdk("AES/CBC/PKCS5Padding", Cipher.ENCRYPT_MODE, D1);
        f.engine.C_DecryptInit(s, cbcPad(), key);
        assertEquals(48, f.engine.C_Decrypt(s, sealed, null), "the bound: the ciphertext's length");
        byte[] plain = new byte[48];
        assertEquals(32, f.engine.C_Decrypt(s, sealed, plain));
        assertArrayEquals(D1, Arrays.copyOf(plain, 32));
    }

    @Test
    void aSignatureLengthQueryLeavesTheDataToTheCallsThatFollow() throws Exception {
        long key = f.engine.C_CreateObject(s, java.util.List.of(
                io.jhsm.pkcs11.Attribute.of(io.jhsm.pkcs11.CKA.CLASS, io.jhsm.pkcs11.CKO.SECRET_KEY),
                io.jhsm.pkcs11.Attribute.of(io.jhsm.pkcs11.CKA.KEY_TYPE, io.jhsm.pkcs11.CKK.GENERIC_SECRET),
                io.jhsm.pkcs11.Attribute.of(io.jhsm.pkcs11.CKA.SIGN, true),
                io.jhsm.pkcs11.Attribute.of(io.jhsm.pkcs11.CKA.VALUE, new byte[32])));
        f.engine.C_SignInit(s, Mechanism.of(CKM.SHA256_HMAC), key);
        assertEquals(32, f.engine.C_Sign(s, D1, null));
        f.engine.C_SignUpdate(s, D2);
        byte[] mac = new byte[32];
        f.engine.C_SignFinal(s, mac);
        javax.crypto.Mac jdk = javax.crypto.Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        assertArrayEquals(jdk.doFinal(D2), mac);
    }

    @Test
    void everyErrorButBufferTooSmallEndsTheOperation() {
        long key = f.aesKey(s);
        f.engine.C_EncryptInit(s, cbcPad(), key);
        assertRv(CKR.ARGUMENTS_BAD, () -> f.engine.C_Encrypt(s, null, new byte[48]));
        f.engine.C_EncryptInit(s, cbcPad(), key);
        assertRv(CKR.ARGUMENTS_BAD, () -> f.engine.C_EncryptUpdate(s, null, new byte[48]));
        f.engine.C_EncryptInit(s, Mechanism.of(CKM.AES_CBC, new MechanismParams.Bytes(IV)), key);
        f.engine.C_EncryptUpdate(s, new byte[5], new byte[16]);
        assertRv(CKR.DATA_LEN_RANGE, () -> f.engine.C_EncryptFinal(s, new byte[16]));
        f.engine.C_EncryptInit(s, Mechanism.of(CKM.AES_KEY_WRAP), key);
        assertRv(CKR.FUNCTION_NOT_SUPPORTED, () -> f.engine.C_EncryptUpdate(s, new byte[16], new byte[32]));
        f.engine.C_EncryptInit(s, Mechanism.of(CKM.AES_KEY_WRAP), key);
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        assertRv(CKR.ARGUMENTS_BAD, () -> f.engine.C_DigestUpdate(s, null));
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        assertRv(CKR.BUFFER_TOO_SMALL, () -> f.engine.C_Digest(s, bytes("x"), new byte[1]));
        assertRv(CKR.OPERATION_ACTIVE, () -> f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256)));
        byte[] out = new byte[32];
        f.engine.C_Digest(s, bytes("x"), out);
        try {
            assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(bytes("x")), out);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }
}
