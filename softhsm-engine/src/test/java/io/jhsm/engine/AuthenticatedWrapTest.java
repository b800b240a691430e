package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.jhsm.engine.object.KeyPolicyMode;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKS;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PKCS#11 3.2 C_WrapKeyAuthenticated/C_UnwrapKeyAuthenticated: the blob is the JDK's AES-GCM or
 * ChaCha20-Poly1305 of the key value under the call's associated data; other associated data or a
 * changed blob is CKR_WRAPPED_KEY_INVALID and creates nothing; C_WrapKey's policy (default or strict) applies unchanged.
 * Also C_GetSessionValidationFlags, which reports no validation.
 */
class AuthenticatedWrapTest extends LoggedInUserTest {
    private static final byte[] IV = bytes("twelve bytes");
    private static final byte[] AAD = bytes("key id 42, owner alice");
    private static final Mechanism GCM = Mechanism.of(CKM.AES_GCM, new MechanismParams.Gcm(IV, 96, new byte[0], 128));
    private static final byte[] TARGET_VALUE = bytes("0123456789abcdef0123456789abcdef");

    private long generateAes(Attribute... extra) {
        List<Attribute> t = new ArrayList<>(List.of(Attribute.of(CKA.VALUE_LEN, 32L)));
        t.addAll(Arrays.asList(extra));
        return f.engine.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), t);
    }

    /** Generated in the token as the wrap policy requires; readable only so that the JDK can check the blob. */
    private long readableWrappingKey() {
        return generateAes(Attribute.of(CKA.WRAP, true), Attribute.of(CKA.DECRYPT, false), Attribute.of(CKA.ENCRYPT, false),
                Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true));
    }

    private long importedAes(byte[] value, Attribute... extra) {
        List<Attribute> t = new ArrayList<>(List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES),
                Attribute.of(CKA.VALUE, value)));
        t.addAll(Arrays.asList(extra));
        return f.engine.C_CreateObject(s, t);
    }

    private byte[] value(long key) {
        return f.engine.C_GetAttributeValue(s, key, new long[] {CKA.VALUE}).get(0).value();
    }

    private byte[] wrap(Mechanism m, long wrapping, long key, byte[] aad) {
        byte[] out = new byte[f.engine.C_WrapKeyAuthenticated(s, m, wrapping, key, aad, null)];
        assertEquals(out.length, f.engine.C_WrapKeyAuthenticated(s, m, wrapping, key, aad, out));
        return out;
    }

    private static final List<Attribute> AES_TEMPLATE = List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
            Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true));

    private int objectCount() {
        f.engine.C_FindObjectsInit(s, List.of());
        int n = f.engine.C_FindObjects(s, 1000).length;
        f.engine.C_FindObjectsFinal(s);
        return n;
    }

    @Test
    void theGcmBlobIsTheJdksAesGcmOfTheKeyValueUnderTheAssociatedData() throws Exception {
        long w = readableWrappingKey();
        long k = importedAes(TARGET_VALUE, Attribute.of(CKA.EXTRACTABLE, true));
        byte[] blob = wrap(GCM, w, k, AAD);
        assertEquals(TARGET_VALUE.length + 16, blob.length, "the value and the 16-byte tag");
        Cipher jdk = Cipher.getInstance("AES/GCM/NoPadding");
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(value(w), "AES"), new GCMParameterSpec(128, IV));
        jdk.updateAAD(AAD);
        assertArrayEquals(TARGET_VALUE, jdk.doFinal(blob));
        jdk.init(Cipher.DECRYPT_MODE, new SecretKeySpec(value(w), "AES"), new GCMParameterSpec(128, IV));
        jdk.updateAAD(bytes("other associated data"));
        assertThrows(AEADBadTagException.class, () -> jdk.doFinal(blob), "the associated data is bound into the tag");
    }

    @Test
    void unwrapTakesTheJdksChaCha20Poly1305CiphertextWithTheSameAssociatedData() throws Exception {
        byte[] kek = bytes("a 32-byte key-encryption key....");
        long u = f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.CHACHA20),
                Attribute.of(CKA.VALUE, kek), Attribute.of(CKA.UNWRAP, true), Attribute.of(CKA.ENCRYPT, false)));
        byte[] nonce = bytes("nonce of 12B");
        Cipher jdk = Cipher.getInstance("ChaCha20-Poly1305");
        jdk.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(kek, "ChaCha20"), new IvParameterSpec(nonce));
        jdk.updateAAD(AAD);
        byte[] blob = jdk.doFinal(TARGET_VALUE);
        Mechanism chacha = Mechanism.of(CKM.CHACHA20_POLY1305, new MechanismParams.ChaCha20Poly1305(nonce, new byte[0]));
        long back = f.engine.C_UnwrapKeyAuthenticated(s, chacha, u, blob, AES_TEMPLATE, AAD);
        assertArrayEquals(TARGET_VALUE, value(back));
    }

    @Test
    void wrongAssociatedDataOrAChangedBlobIsWrappedKeyInvalidAndCreatesNothing() {
        long w = generateAes(Attribute.of(CKA.WRAP, true), Attribute.of(CKA.UNWRAP, true), Attribute.of(CKA.ENCRYPT, false),
                Attribute.of(CKA.DECRYPT, false));
        long k = generateAes(Attribute.of(CKA.EXTRACTABLE, true));
        byte[] blob = wrap(GCM, w, k, AAD);
        int before = objectCount();
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> f.engine.C_UnwrapKeyAuthenticated(s, GCM, w, blob, AES_TEMPLATE, bytes("key id 43")));
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> f.engine.C_UnwrapKeyAuthenticated(s, GCM, w, blob, AES_TEMPLATE, new byte[0]));
        byte[] changed = blob.clone();
        changed[3] ^= 1;
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> f.engine.C_UnwrapKeyAuthenticated(s, GCM, w, changed, AES_TEMPLATE, AAD));
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> f.engine.C_UnwrapKey(s, GCM, w, blob, AES_TEMPLATE));
        // Plain C_UnwrapKey has no associated data, so the same blob fails its tag there.
        assertEquals(before, objectCount());
        long back = f.engine.C_UnwrapKeyAuthenticated(s, GCM, w, blob, AES_TEMPLATE, AAD);
        assertEquals(before + 1, objectCount());
        assertEquals(32, value(back).length);
    }

    @Test
    void aTooSmallBufferReportsTheLengthAndTheLengthQueryNeedsNoBuffer() {
        long w = generateAes(Attribute.of(CKA.WRAP, true), Attribute.of(CKA.DECRYPT, false));
        long k = generateAes(Attribute.of(CKA.EXTRACTABLE, true));
        assertEquals(48, f.engine.C_WrapKeyAuthenticated(s, GCM, w, k, AAD, null));
        assertRv(CKR.BUFFER_TOO_SMALL, () -> f.engine.C_WrapKeyAuthenticated(s, GCM, w, k, AAD, new byte[47]));
    }

    @Test
    void theWrapPolicyOfCWrapKeyAppliesUnchanged() {
        long w = generateAes(Attribute.of(CKA.WRAP, true), Attribute.of(CKA.DECRYPT, false));
        long unextractable = generateAes(Attribute.of(CKA.EXTRACTABLE, false));
        assertRv(CKR.KEY_UNEXTRACTABLE, () -> f.engine.C_WrapKeyAuthenticated(s, GCM, w, unextractable, AAD, null));
        long trustedOnly = generateAes(Attribute.of(CKA.EXTRACTABLE, true), Attribute.of(CKA.WRAP_WITH_TRUSTED, true));
        assertRv(CKR.KEY_NOT_WRAPPABLE, () -> f.engine.C_WrapKeyAuthenticated(s, GCM, w, trustedOnly, AAD, null));
        long k = generateAes(Attribute.of(CKA.EXTRACTABLE, true));
        long noWrap = generateAes(Attribute.of(CKA.WRAP, false), Attribute.of(CKA.DECRYPT, false));
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED, () -> f.engine.C_WrapKeyAuthenticated(s, GCM, noWrap, k, AAD, null));
        long noUnwrap = generateAes(Attribute.of(CKA.UNWRAP, false), Attribute.of(CKA.ENCRYPT, false));
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED,
                () -> f.engine.C_UnwrapKeyAuthenticated(s, GCM, noUnwrap, new byte[48], AES_TEMPLATE, AAD));
    }

    @Test
    void theStrictWrapPolicyOfCWrapKeyAppliesUnchanged(@TempDir Path strictDir) {
        f = new EngineFixture(strictDir, KeyPolicyMode.STRICT).initialised();
        s = f.userSession();
        long k = generateAes(Attribute.of(CKA.EXTRACTABLE, true));
        long decrypts = generateAes(Attribute.of(CKA.WRAP, true), Attribute.of(CKA.DECRYPT, true));
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED, () -> f.engine.C_WrapKeyAuthenticated(s, GCM, decrypts, k, AAD, null));
        // An imported key is known outside the token and cannot wrap.
        long imported = importedAes(TARGET_VALUE, Attribute.of(CKA.WRAP, true), Attribute.of(CKA.DECRYPT, false));
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED, () -> f.engine.C_WrapKeyAuthenticated(s, GCM, imported, k, AAD, null));
        long encrypts = generateAes(Attribute.of(CKA.UNWRAP, true), Attribute.of(CKA.ENCRYPT, true));
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED,
                () -> f.engine.C_UnwrapKeyAuthenticated(s, GCM, encrypts, new byte[48], AES_TEMPLATE, AAD));
    }

    @Test
    void onlyTheAeadWrappingMechanismsWithoutTheirOwnAadQualify() {
        long w = generateAes(Attribute.of(CKA.WRAP, true), Attribute.of(CKA.DECRYPT, false));
        long k = generateAes(Attribute.of(CKA.EXTRACTABLE, true));
        assertRv(CKR.MECHANISM_INVALID, () -> f.engine.C_WrapKeyAuthenticated(s, Mechanism.of(CKM.AES_KEY_WRAP), w, k, AAD, null));
        Mechanism ccm = Mechanism.of(CKM.AES_CCM, new MechanismParams.Ccm(32, IV, new byte[0], 16));
        assertRv(CKR.MECHANISM_INVALID, () -> f.engine.C_WrapKeyAuthenticated(s, ccm, w, k, AAD, null));
        Mechanism gcmWithAad = Mechanism.of(CKM.AES_GCM, new MechanismParams.Gcm(IV, 96, bytes("aad"), 128));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> f.engine.C_WrapKeyAuthenticated(s, gcmWithAad, w, k, AAD, null));
        assertRv(CKR.ARGUMENTS_BAD, () -> f.engine.C_WrapKeyAuthenticated(s, GCM, w, k, null, null));
        assertEquals(48, f.engine.C_WrapKeyAuthenticated(s, GCM, w, k, new byte[0], null), "empty associated data is allowed");
    }

    @Test
    void sessionValidationFlagsAreZeroBecauseJhsmHoldsNoValidation() {
        assertEquals(0, f.engine.C_GetSessionValidationFlags(s, CKS.LAST_VALIDATION_OK));
        long w = generateAes(Attribute.of(CKA.WRAP, true), Attribute.of(CKA.DECRYPT, false));
        wrap(GCM, w, generateAes(Attribute.of(CKA.EXTRACTABLE, true)), AAD);
        assertEquals(0, f.engine.C_GetSessionValidationFlags(s, CKS.LAST_VALIDATION_OK), "nor after an operation");
        assertRv(CKR.ARGUMENTS_BAD, () -> f.engine.C_GetSessionValidationFlags(s, 2));
        assertRv(CKR.SESSION_HANDLE_INVALID, () -> f.engine.C_GetSessionValidationFlags(s + 1000, CKS.LAST_VALIDATION_OK));
        f.engine.C_CloseSession(s);
        assertRv(CKR.SESSION_HANDLE_INVALID, () -> f.engine.C_GetSessionValidationFlags(s, CKS.LAST_VALIDATION_OK));
    }
}
