package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.USER_PIN;
import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.userSession;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.profile.TokenProfile;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The functions and sessions of the cloudhsm profile (CloudHSM's pkcs11-apis.html, ki-pkcs11-sdk.html, the Notify
 * refusal of openssl-projects/pkcs11-provider issue 342) beside the pkcs11 profile's standard answers.
 */
class CloudHsmProfileFunctionsTest {
    @TempDir
    Path dir;

    /** An initialised token (made through the pkcs11 profile, as C_InitToken is refused under cloudhsm) under {@code p}. */
    private Engine engine(TokenProfile p) {
        return EngineFixture.initialisedUnder(dir, p);
    }

    private static long aesKey(Engine e, long s) {
        return e.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.VALUE_LEN, 32L),
                Attribute.of(CKA.ENCRYPT, true), Attribute.of(CKA.DECRYPT, true), Attribute.of(CKA.SIGN, true),
                Attribute.of(CKA.VERIFY, true), Attribute.of(CKA.EXTRACTABLE, true), Attribute.of(CKA.SENSITIVE, false)));
    }

    /** Every function SDK 5 leaves out, called as an application would. */
    private static Map<String, Executable> functionsSdk5LacksOn(Engine e, long s, long key) {
        Mechanism sha256 = Mechanism.of(CKM.SHA256);
        Map<String, Executable> calls = new LinkedHashMap<>();
        calls.put("C_SetAttributeValue", () -> e.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.LABEL, bytes("renamed")))));
        calls.put("C_CopyObject", () -> e.C_CopyObject(s, key, List.of()));
        calls.put("C_GetObjectSize", () -> e.C_GetObjectSize(s, key));
        calls.put("C_InitToken", () -> e.C_InitToken(0, EngineFixture.SO_PIN, EngineFixture.label("again")));
        calls.put("C_InitPIN", () -> e.C_InitPIN(s, bytes("user-secret-2")));
        calls.put("C_SetPIN", () -> e.C_SetPIN(s, USER_PIN, USER_PIN));
        calls.put("C_SeedRandom", () -> e.C_SeedRandom(s, new byte[8]));
        calls.put("C_GetOperationState", () -> e.C_GetOperationState(s, null));
        calls.put("C_SetOperationState", () -> e.C_SetOperationState(s, new byte[8], 0, 0));
        calls.put("C_DigestKey", () -> e.C_DigestKey(s, key));
        calls.put("C_SignRecoverInit", () -> e.C_SignRecoverInit(s, Mechanism.of(CKM.RSA_PKCS), key));
        calls.put("C_SignRecover", () -> e.C_SignRecover(s, new byte[8], null));
        calls.put("C_VerifyRecoverInit", () -> e.C_VerifyRecoverInit(s, Mechanism.of(CKM.RSA_PKCS), key));
        calls.put("C_VerifyRecover", () -> e.C_VerifyRecover(s, new byte[8], null));
        calls.put("C_DigestEncryptUpdate", () -> e.C_DigestEncryptUpdate(s, new byte[16], null));
        calls.put("C_DecryptDigestUpdate", () -> e.C_DecryptDigestUpdate(s, new byte[16], null));
        calls.put("C_SignEncryptUpdate", () -> e.C_SignEncryptUpdate(s, new byte[16], null));
        calls.put("C_DecryptVerifyUpdate", () -> e.C_DecryptVerifyUpdate(s, new byte[16], null));
        calls.put("C_LoginUser", () -> e.C_LoginUser(s, CKU.USER, USER_PIN, bytes("user")));
        calls.put("C_SessionCancel", () -> e.C_SessionCancel(s, CKF.DIGEST));
        calls.put("C_GetSessionValidationFlags", () -> e.C_GetSessionValidationFlags(s, 0));
        calls.put("C_VerifySignatureInit", () -> e.C_VerifySignatureInit(s, Mechanism.of(CKM.AES_CMAC), key, new byte[16]));
        calls.put("C_VerifySignature", () -> e.C_VerifySignature(s, new byte[8]));
        calls.put("C_MessageEncryptInit", () -> e.C_MessageEncryptInit(s, Mechanism.of(CKM.AES_GCM), key));
        calls.put("C_EncryptMessage", () -> e.C_EncryptMessage(s, null, null, new byte[8], null));
        calls.put("C_MessageEncryptFinal", () -> e.C_MessageEncryptFinal(s));
        calls.put("C_MessageSignInit", () -> e.C_MessageSignInit(s, Mechanism.of(CKM.SHA256_HMAC), key));
        calls.put("C_WrapKeyAuthenticated", () -> e.C_WrapKeyAuthenticated(s, Mechanism.of(CKM.AES_GCM), key, key, new byte[1], null));
        calls.put("C_UnwrapKeyAuthenticated", () -> e.C_UnwrapKeyAuthenticated(s, Mechanism.of(CKM.AES_GCM), key, new byte[40], List.of(), new byte[1]));
        calls.put("C_EncapsulateKey", () -> e.C_EncapsulateKey(s, Mechanism.of(CKM.ML_KEM), key, List.of(), null));
        calls.put("C_DecapsulateKey", () -> e.C_DecapsulateKey(s, Mechanism.of(CKM.ML_KEM), key, List.of(), new byte[32]));
        calls.put("C_DigestInit then C_DigestKey", () -> {
            e.C_DigestInit(s, sha256);
            e.C_DigestKey(s, key);
        });
        return calls;
    }

    @Test
    void everyFunctionSdk5LacksIsNotSupportedOnACloudHsmTokenAndSaysWhatToDoInstead() {
        Engine e = engine(TokenProfile.CLOUDHSM);
        long s = userSession(e);
        long key = aesKey(e, s);
        functionsSdk5LacksOn(e, s, key).forEach((name, call) -> {
            CkException refused = assertThrows(CkException.class, call, name);
            assertEquals(CKR.name(CKR.FUNCTION_NOT_SUPPORTED), CKR.name(refused.rv()), name + ": " + refused.getMessage());
            assertTrue(refused.getMessage().contains("cloudhsm profile: CloudHSM's PKCS#11 library (Client SDK 5) does not support"),
                    name + ": " + refused.getMessage());
        });
    }

    @Test
    void noneOfThemIsRefusedAsUnsupportedOnAPkcs11Token() {
        Engine e = engine(TokenProfile.PKCS11);
        long s = userSession(e);
        long key = aesKey(e, s);
        functionsSdk5LacksOn(e, s, key).forEach((name, call) -> {
            try {
                call.execute();
            } catch (CkException answered) {
                assertNotEquals(CKR.name(CKR.FUNCTION_NOT_SUPPORTED), CKR.name(answered.rv()), name + ": " + answered.getMessage());
            } catch (Throwable t) {
                throw new AssertionError(name, t);
            }
        });
    }

    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void attributesChangeThroughTheCliOnACloudHsmTokenAndThroughPkcs11OnAPkcs11One(TokenProfile profile) {
        Engine e = engine(profile);
        long s = userSession(e);
        long key = aesKey(e, s);
        List<Attribute> label = List.of(Attribute.of(CKA.LABEL, bytes("renamed")));
        if (profile.cloudHsm()) {
            CkException refused = assertThrows(CkException.class, () -> e.C_SetAttributeValue(s, key, label));
            assertEquals(CKR.FUNCTION_NOT_SUPPORTED, refused.rv());
            assertTrue(refused.getMessage().contains("jhsm key set-attribute"), refused.getMessage());
        } else {
            e.C_SetAttributeValue(s, key, label);
            assertArrayEquals(bytes("renamed"), e.C_GetAttributeValue(s, key, new long[] {CKA.LABEL}).get(0).value());
        }
    }

    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void whatSdk5SupportsWorksOnBothProfiles(TokenProfile profile) {
        Engine e = engine(profile);
        long s = userSession(e);
        long key = aesKey(e, s);
        Mechanism cbc = Mechanism.of(CKM.AES_CBC_PAD, new MechanismParams.Bytes(new byte[16]));
        e.C_EncryptInit(s, cbc, key);
        byte[] ct = new byte[32];
        int n = e.C_Encrypt(s, bytes("hello cloudhsm"), ct);
        e.C_DecryptInit(s, cbc, key);
        byte[] pt = new byte[32];
        int m = e.C_Decrypt(s, java.util.Arrays.copyOf(ct, n), pt);
        assertEquals("hello cloudhsm", new String(pt, 0, m, java.nio.charset.StandardCharsets.UTF_8));
        byte[] random = new byte[16];
        e.C_GenerateRandom(s, random);
    }

    /** SDK 5 refuses a Notify callback with CKR_ARGUMENTS_BAD; PKCS#11 lets a library accept one and never call it. */
    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void aNotifyCallbackIsArgumentsBadOnlyOnACloudHsmToken(TokenProfile profile) {
        Engine e = engine(profile);
        long flags = CKF.SERIAL_SESSION | CKF.RW_SESSION;
        if (profile.cloudHsm()) {
            CkException refused = assertThrows(CkException.class, () -> e.C_OpenSession(0, flags, true));
            assertEquals(CKR.ARGUMENTS_BAD, refused.rv());
            assertTrue(refused.getMessage().contains("pass NULL_PTR for both pApplication and Notify"), refused.getMessage());
        } else {
            e.C_CloseSession(e.C_OpenSession(0, flags, true));
        }
        e.C_CloseSession(e.C_OpenSession(0, flags, false));
    }

    /** Read-only sessions failed in SDK 5 before 5.5.0 (libp11 issue 412); the latest SDK 5 opens them, as PKCS#11 does. */
    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void aReadOnlySessionOpensAndSignsOnBothProfiles(TokenProfile profile) {
        Engine e = engine(profile);
        long rw = userSession(e);
        long key = aesKey(e, rw);
        long ro = e.C_OpenSession(0, CKF.SERIAL_SESSION);
        assertEquals(CKF.SERIAL_SESSION, e.C_GetSessionInfo(ro).flags());
        e.C_SignInit(ro, Mechanism.of(CKM.AES_CMAC), key);
        assertEquals(16, e.C_Sign(ro, bytes("data"), new byte[16]));
    }

    /** A function without a session or slot follows the configuration's profile. */
    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void waitForSlotEventIsNotSupportedWhenTheConfigurationIsCloudHsm(TokenProfile profile) {
        Engine e = engine(profile);
        assertRv(profile.cloudHsm() ? CKR.FUNCTION_NOT_SUPPORTED : CKR.NO_EVENT, () -> e.C_WaitForSlotEvent(CKF.DONT_BLOCK));
    }
}
