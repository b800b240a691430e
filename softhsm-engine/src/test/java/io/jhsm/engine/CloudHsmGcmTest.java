package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhsm.engine.config.Config;
import io.jhsm.engine.profile.TokenProfile;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AES-GCM under the two profiles (pkcs11-mechanisms.html annotations 1-3 and "Maximum data size";
 * ki-pkcs11-sdk.html, the 16 KB GCM issue): on a cloudhsm token the HSM writes its 12-byte IV into the zeroed
 * pIv, refuses an application's IV, caps single-part data at 16224 bytes and has no multi-part GCM; on a pkcs11
 * token the application's IV is used and nothing else changes. Ciphertexts are checked against the JDK's GCM.
 */
class CloudHsmGcmTest {
    private static final byte[] KEY = new byte[32];
    private static final byte[] AAD = EngineFixture.bytes("header");

    static {
        for (int i = 0; i < KEY.length; i++) {
            KEY[i] = (byte) (7 * i + 1);
        }
    }

    @TempDir
    Path dir;
    private Engine engine;

    @AfterEach
    void finish() {
        if (engine != null) {
            engine.C_Finalize();
        }
    }

    /**
     * A user session on a token under {@code profile}. The token is initialised by a pkcs11 engine first, since
     * CloudHSM's library has no C_InitToken / C_InitPIN (its CLI makes users).
     */
    private long session(TokenProfile profile) {
        new EngineFixture(dir).initialised().engine.C_Finalize();
        engine = EngineFixture.started(new Config(dir, 1).withProfile(profile));
        long s = engine.C_OpenSession(0, io.jhsm.pkcs11.CKF.SERIAL_SESSION | io.jhsm.pkcs11.CKF.RW_SESSION);
        engine.C_Login(s, CKU.USER, EngineFixture.USER_PIN);
        return s;
    }

    private long key(long s) {
        return engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES),
                Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.VALUE, KEY.clone()), Attribute.of(CKA.ENCRYPT, true),
                Attribute.of(CKA.DECRYPT, true), Attribute.of(CKA.WRAP, true), Attribute.of(CKA.UNWRAP, true),
                Attribute.of(CKA.EXTRACTABLE, true)));
    }

    private static Mechanism gcm(byte[] iv) {
        return Mechanism.of(CKM.AES_GCM, new MechanismParams.Gcm(iv, 0, AAD, 128));
    }

    private static Mechanism vendorGcm() {
        return Mechanism.of(CKM.CLOUDHSM_AES_GCM, new MechanismParams.Gcm(new byte[0], 0, AAD, 128));
    }

    private byte[] encrypt(long s, byte[] data) {
        byte[] out = new byte[engine.C_Encrypt(s, data, null)];
        return Arrays.copyOf(out, engine.C_Encrypt(s, data, out));
    }

    private byte[] decrypt(long s, byte[] data) {
        byte[] out = new byte[engine.C_Decrypt(s, data, null)];
        return Arrays.copyOf(out, engine.C_Decrypt(s, data, out));
    }

    /** The JDK's AES-GCM (tag 128) of {@code data} under KEY, IV and AAD: the independent cross-check. */
    static byte[] jdkGcm(int mode, byte[] iv, byte[] data) throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding", "SunJCE");
        c.init(mode, new SecretKeySpec(KEY, "AES"), new GCMParameterSpec(128, iv));
        c.updateAAD(AAD);
        return c.doFinal(data);
    }

    @Test
    void cloudHsmWritesItsOwnTwelveByteIvIntoTheZeroedPIv() throws Exception {
        long s = session(TokenProfile.CLOUDHSM);
        long k = key(s);
        byte[] iv = new byte[12];
        byte[] pt = EngineFixture.bytes("attack at dawn");
        engine.C_EncryptInit(s, gcm(iv), k);
        assertFalse(Arrays.equals(new byte[12], iv), "the HSM's IV came back in pIv");
        byte[] ct = encrypt(s, pt);
        assertArrayEquals(jdkGcm(Cipher.ENCRYPT_MODE, iv, pt), ct);

        engine.C_DecryptInit(s, gcm(iv.clone()), k); // decryption takes the IV as given
        assertArrayEquals(pt, decrypt(s, ct));
    }

    @Test
    void pkcs11UsesTheApplicationsIv() throws Exception {
        long s = session(TokenProfile.PKCS11);
        long k = key(s);
        byte[] iv = EngineFixture.bytes("twelve bytes");
        byte[] pt = EngineFixture.bytes("attack at dawn");
        engine.C_EncryptInit(s, gcm(iv), k);
        assertArrayEquals(EngineFixture.bytes("twelve bytes"), iv, "the token leaves the application's IV alone");
        assertArrayEquals(jdkGcm(Cipher.ENCRYPT_MODE, iv, pt), encrypt(s, pt));
    }

    @Test
    void cloudHsmRefusesAnIvTheApplicationChose() {
        long s = session(TokenProfile.CLOUDHSM);
        long k = key(s);
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> engine.C_EncryptInit(s, gcm(EngineFixture.bytes("twelve bytes")), k));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> engine.C_EncryptInit(s, gcm(new byte[16]), k));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> engine.C_EncryptInit(s, gcm(new byte[0]), k));
        engine.C_EncryptInit(s, gcm(new byte[12]), k); // no operation was left behind by the refusals
    }

    @Test
    void pkcs11TakesAnyIvLengthAndContent() {
        long s = session(TokenProfile.PKCS11);
        long k = key(s);
        engine.C_EncryptInit(s, gcm(new byte[16]), k);
        assertEquals(16 + 3, encrypt(s, new byte[3]).length);
        engine.C_EncryptInit(s, gcm(EngineFixture.bytes("twelve bytes")), k);
        assertEquals(16, encrypt(s, new byte[0]).length);
    }

    @Test
    void cloudHsmTakesAtMost16224BytesInOneCall() throws Exception {
        long s = session(TokenProfile.CLOUDHSM);
        long k = key(s);
        byte[] iv = new byte[12];
        engine.C_EncryptInit(s, gcm(iv), k);
        byte[] ct = encrypt(s, new byte[16224]);
        engine.C_DecryptInit(s, gcm(iv), k);
        assertArrayEquals(new byte[16224], decrypt(s, ct), "the largest allowed data decrypts too");

        engine.C_EncryptInit(s, gcm(new byte[12]), k);
        assertRv(CKR.DATA_LEN_RANGE, () -> engine.C_Encrypt(s, new byte[16225], null));
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> engine.C_Encrypt(s, new byte[1], null));

        byte[] tooLong = jdkGcm(Cipher.ENCRYPT_MODE, iv, new byte[16225]);
        engine.C_DecryptInit(s, gcm(iv), k);
        assertRv(CKR.ENCRYPTED_DATA_LEN_RANGE, () -> engine.C_Decrypt(s, tooLong, null));
    }

    @Test
    void pkcs11HasNoGcmSizeLimit() throws Exception {
        long s = session(TokenProfile.PKCS11);
        long k = key(s);
        byte[] iv = new byte[12];
        engine.C_EncryptInit(s, gcm(iv), k);
        assertArrayEquals(jdkGcm(Cipher.ENCRYPT_MODE, iv, new byte[40000]), encrypt(s, new byte[40000]));
    }

    @Test
    void cloudHsmHasNoMultiPartGcm() {
        long s = session(TokenProfile.CLOUDHSM);
        long k = key(s);
        engine.C_EncryptInit(s, gcm(new byte[12]), k);
        assertRv(CKR.MECHANISM_INVALID, () -> engine.C_EncryptUpdate(s, new byte[16], new byte[64]));
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> engine.C_EncryptFinal(s, new byte[64]));
        engine.C_DecryptInit(s, gcm(new byte[12]), k);
        assertRv(CKR.MECHANISM_INVALID, () -> engine.C_DecryptUpdate(s, new byte[32], new byte[64]));
    }

    @Test
    void pkcs11StreamsGcm() throws Exception {
        long s = session(TokenProfile.PKCS11);
        long k = key(s);
        byte[] iv = new byte[12];
        engine.C_EncryptInit(s, gcm(iv), k);
        byte[] a = new byte[64];
        int n = engine.C_EncryptUpdate(s, new byte[32], a);
        byte[] b = new byte[64];
        int m = engine.C_EncryptFinal(s, b);
        byte[] ct = new byte[n + m];
        System.arraycopy(a, 0, ct, 0, n);
        System.arraycopy(b, 0, ct, n, m);
        assertArrayEquals(jdkGcm(Cipher.ENCRYPT_MODE, iv, new byte[32]), ct);
    }

    @Test
    void vendorGcmPutsTheIvInFrontOfTheCiphertext() throws Exception {
        long s = session(TokenProfile.CLOUDHSM);
        long k = key(s);
        byte[] pt = EngineFixture.bytes("attack at dawn");
        engine.C_EncryptInit(s, vendorGcm(), k);
        byte[] out = encrypt(s, pt);
        assertEquals(12 + pt.length + 16, out.length);
        byte[] iv = Arrays.copyOf(out, 12);
        assertArrayEquals(jdkGcm(Cipher.ENCRYPT_MODE, iv, pt), Arrays.copyOfRange(out, 12, out.length));

        engine.C_DecryptInit(s, vendorGcm(), k);
        assertArrayEquals(pt, decrypt(s, out));
        out[out.length - 1] ^= 1;
        engine.C_DecryptInit(s, vendorGcm(), k);
        assertRv(CKR.ENCRYPTED_DATA_INVALID, () -> decrypt(s, out));
    }

    @Test
    void vendorGcmTakesNoIvAndIsSinglePart() {
        long s = session(TokenProfile.CLOUDHSM);
        long k = key(s);
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> engine.C_EncryptInit(s,
                Mechanism.of(CKM.CLOUDHSM_AES_GCM, new MechanismParams.Gcm(new byte[12], 0, AAD, 128)), k));
        engine.C_EncryptInit(s, vendorGcm(), k);
        assertRv(CKR.MECHANISM_INVALID, () -> engine.C_EncryptUpdate(s, new byte[16], new byte[64]));
        engine.C_EncryptInit(s, vendorGcm(), k);
        assertRv(CKR.DATA_LEN_RANGE, () -> engine.C_Encrypt(s, new byte[16225], null));
    }

    @Test
    void cloudHsmWrapsWithItsOwnIvAndUnwrapsWithTheOneReturned() throws Exception {
        long s = session(TokenProfile.CLOUDHSM);
        long k = key(s);
        byte[] iv = new byte[12];
        int length = engine.C_WrapKey(s, gcm(iv), k, k, null);
        assertArrayEquals(new byte[12], iv, "a length query leaves pIv zeroed, so the real call may follow with it");
        assertThrows(BufferTooSmallException.class, () -> engine.C_WrapKey(s, gcm(iv), k, k, new byte[1]));
        assertArrayEquals(new byte[12], iv, "so does a buffer too small for the wrapped key");
        byte[] wrapped = new byte[length];
        engine.C_WrapKey(s, gcm(iv), k, k, wrapped);
        assertFalse(Arrays.equals(new byte[12], iv));
        assertArrayEquals(jdkGcm(Cipher.ENCRYPT_MODE, iv, KEY), wrapped);
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> engine.C_WrapKey(s, gcm(iv), k, k, new byte[length]));

        long unwrapped = engine.C_UnwrapKey(s, gcm(iv), k, wrapped, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.ENCRYPT, true)));
        byte[] iv2 = new byte[12];
        engine.C_EncryptInit(s, gcm(iv2), unwrapped);
        assertArrayEquals(jdkGcm(Cipher.ENCRYPT_MODE, iv2, new byte[5]), encrypt(s, new byte[5]), "the unwrapped key is KEY");
    }

    @Test
    void vendorGcmWrapsWithTheIvInFront() throws Exception {
        long s = session(TokenProfile.CLOUDHSM);
        long k = key(s);
        byte[] wrapped = new byte[engine.C_WrapKey(s, vendorGcm(), k, k, null)];
        engine.C_WrapKey(s, vendorGcm(), k, k, wrapped);
        assertArrayEquals(KEY, jdkGcm(Cipher.DECRYPT_MODE, Arrays.copyOf(wrapped, 12), Arrays.copyOfRange(wrapped, 12, wrapped.length)));
        long unwrapped = engine.C_UnwrapKey(s, vendorGcm(), k, wrapped, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.TOKEN, false), Attribute.of(CKA.DECRYPT, true)));
        byte[] ct = jdkGcm(Cipher.ENCRYPT_MODE, new byte[12], new byte[7]);
        engine.C_DecryptInit(s, gcm(new byte[12]), unwrapped);
        assertArrayEquals(new byte[7], decrypt(s, ct));
    }
}
