package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** C_GetOperationState/C_SetOperationState, the dual-function calls and C_DigestKey, checked against the JDK. */
class StateAndDualFunctionTest extends LoggedInUserTest {
    private byte[] digestFinal(long session) {
        byte[] out = new byte[32];
        assertEquals(32, f.engine.C_DigestFinal(session, out));
        return out;
    }

    @Test
    void savedDigestStateContinuesInAnotherSessionLikeMessageDigestClone() throws Exception {
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        f.engine.C_DigestUpdate(s, bytes("hello "));
        byte[] state = new byte[f.engine.C_GetOperationState(s, null)];
        f.engine.C_GetOperationState(s, state);
        long other = f.rwSession();
        f.engine.C_SetOperationState(other, state, 0, 0);
        f.engine.C_DigestUpdate(s, bytes("world"));
        f.engine.C_DigestUpdate(other, bytes("there"));
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        assertArrayEquals(sha.digest(bytes("hello world")), digestFinal(s));
        assertArrayEquals(sha.digest(bytes("hello there")), digestFinal(other));
    }

    @Test
    void encryptionStateIsUnsaveableAndForeignStateIsInvalid() {
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_GetOperationState(s, null));
        long key = f.aesKey(s);
        f.engine.C_EncryptInit(s, Mechanism.of(CKM.AES_ECB), key);
        assertRv(CKR.STATE_UNSAVEABLE, () -> f.engine.C_GetOperationState(s, null));
        assertRv(CKR.SAVED_STATE_INVALID, () -> f.engine.C_SetOperationState(s, new byte[20], 0, 0));
    }

    @Test
    void digestEncryptUpdateEqualsTheTwoOperationsApart() throws Exception {
        long key = f.aesKey(s);
        byte[] iv = new byte[16];
        byte[] data = new byte[48];
        Arrays.fill(data, (byte) 3);
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        f.engine.C_EncryptInit(s, Mechanism.of(CKM.AES_CBC, new MechanismParams.Bytes(iv)), key);
        assertEquals(48, f.engine.C_DigestEncryptUpdate(s, data, null));
        byte[] enc = new byte[48];
        assertEquals(48, f.engine.C_DigestEncryptUpdate(s, data, enc));
        assertEquals(0, f.engine.C_EncryptFinal(s, new byte[16]));
        Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES"), new IvParameterSpec(iv));
        assertArrayEquals(aes.doFinal(data), enc);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), digestFinal(s), "length query must not digest twice");
    }

    @Test
    void decryptDigestUpdateDigestsThePlaintext() throws Exception {
        long key = f.aesKey(s);
        byte[] iv = new byte[16];
        byte[] data = new byte[32];
        Arrays.fill(data, (byte) 9);
        Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
        aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[16], "AES"), new IvParameterSpec(iv));
        byte[] enc = aes.doFinal(data);
        f.engine.C_DecryptInit(s, Mechanism.of(CKM.AES_CBC, new MechanismParams.Bytes(iv)), key);
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        byte[] plain = new byte[32];
        assertEquals(32, f.engine.C_DecryptDigestUpdate(s, enc, plain));
        assertArrayEquals(data, plain);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), digestFinal(s));
    }

    @Test
    void dualFunctionNeedsBothOperations() {
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_DigestEncryptUpdate(s, new byte[16], new byte[16]));
    }

    @Test
    void digestKeyDigestsTheSecretValueButNotOtherObjects() throws Exception {
        byte[] value = new byte[16];
        Arrays.fill(value, (byte) 5);
        long key = f.engine.C_CreateObject(s, java.util.List.of(Attribute.of(CKA.CLASS, io.jhsm.pkcs11.CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, io.jhsm.pkcs11.CKK.AES), Attribute.of(CKA.VALUE, value)));
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        f.engine.C_DigestUpdate(s, bytes("p"));
        f.engine.C_DigestKey(s, key);
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(bytes("p"));
        assertArrayEquals(sha.digest(value), digestFinal(s));
        // A key that is not secret is indigestible; an object that is no key is not a key handle (PKCS#11 5.1.5).
        long[] pair = f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.EC_KEY_PAIR_GEN), java.util.List.of(Attribute.of(
                CKA.EC_PARAMS, new byte[] {6, 8, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 3, 1, 7})), java.util.List.of());
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        assertRv(CKR.KEY_INDIGESTIBLE, () -> f.engine.C_DigestKey(s, pair[0]));
        long data = f.engine.C_CreateObject(s, java.util.List.of(Attribute.of(CKA.CLASS, io.jhsm.pkcs11.CKO.DATA)));
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        assertRv(CKR.KEY_HANDLE_INVALID, () -> f.engine.C_DigestKey(s, data));
    }
}
