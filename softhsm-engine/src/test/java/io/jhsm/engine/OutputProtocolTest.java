package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import java.security.MessageDigest;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The two-call length protocol and the active-operation rules of PKCS#11 §5.2. */
class OutputProtocolTest extends LoggedInUserTest {
    @Test
    void lengthQueryKeepsTheOperationActive() throws Exception {
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        assertEquals(32, f.engine.C_Digest(s, bytes("abc"), null));
        byte[] out = new byte[32];
        assertEquals(32, f.engine.C_Digest(s, bytes("abc"), out));
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(bytes("abc")), out);
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_Digest(s, bytes("abc"), out));
    }

    @Test
    void tooSmallBufferReportsTheLengthAndKeepsTheOperation() {
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        BufferTooSmallException e = assertThrows(BufferTooSmallException.class, () -> f.engine.C_Digest(s, bytes("abc"), new byte[8]));
        assertEquals(32, e.requiredLength());
        assertEquals(32, f.engine.C_Digest(s, bytes("abc"), new byte[64]));
    }

    @Test
    void singlePartCallAfterUpdateIsOperationActiveAndEndsIt() {
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        f.engine.C_DigestUpdate(s, bytes("a"));
        assertRv(CKR.OPERATION_ACTIVE, () -> f.engine.C_Digest(s, bytes("b"), new byte[32]));
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_DigestFinal(s, new byte[32]));
    }

    @Test
    void secondInitIsOperationActive() {
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        assertRv(CKR.OPERATION_ACTIVE, () -> f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256)));
    }

    @Test
    void unknownMechanismIsMechanismInvalid() {
        assertRv(CKR.MECHANISM_INVALID, () -> f.engine.C_DigestInit(s, Mechanism.of(0x7fff_0000L)));
        long key = f.aesKey(s);
        assertRv(CKR.MECHANISM_INVALID, () -> f.engine.C_SignInit(s, Mechanism.of(CKM.SHA256), key));
    }

    @Test
    void keyWithoutTheUsageFlagIsNotPermitted() {
        long key = f.aesKey(s, Attribute.of(CKA.ENCRYPT, false));
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED, () -> f.engine.C_EncryptInit(s, Mechanism.of(CKM.AES_ECB), key));
    }

    @Test
    void allowedMechanismsAreEnforced() {
        long key = f.aesKey(s, Attribute.of(CKA.ALLOWED_MECHANISMS, io.jhsm.pkcs11.Ulong.encodeArray(new long[] {CKM.AES_CBC_PAD})));
        assertRv(CKR.MECHANISM_INVALID, () -> f.engine.C_EncryptInit(s, Mechanism.of(CKM.AES_ECB), key));
    }

    @Test
    void multiPartEncryptionEqualsSinglePart() {
        long key = f.aesKey(s);
        byte[] data = new byte[50];
        Arrays.fill(data, (byte) 7);
        Mechanism cbc = Mechanism.of(CKM.AES_CBC_PAD, new io.jhsm.pkcs11.MechanismParams.Bytes(new byte[16]));
        f.engine.C_EncryptInit(s, cbc, key);
        byte[] whole = new byte[64];
        assertEquals(64, f.engine.C_Encrypt(s, data, whole));
        f.engine.C_EncryptInit(s, cbc, key);
        byte[] a = new byte[64];
        int n = f.engine.C_EncryptUpdate(s, Arrays.copyOf(data, 20), a);
        byte[] b = new byte[64];
        int m = f.engine.C_EncryptUpdate(s, Arrays.copyOfRange(data, 20, 50), b);
        byte[] c = new byte[64];
        int k = f.engine.C_EncryptFinal(s, c);
        byte[] joined = new byte[n + m + k];
        System.arraycopy(a, 0, joined, 0, n);
        System.arraycopy(b, 0, joined, n, m);
        System.arraycopy(c, 0, joined, n + m, k);
        assertArrayEquals(whole, joined);
    }
}
