package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.userSession;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.profile.TokenProfile;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The mechanisms a token offers by profile: SDK 5's list and per-function limits (pkcs11-mechanisms.html) and its
 * "Maximum data size" table on a cloudhsm-profile token; every implemented mechanism on a pkcs11-profile one.
 */
class CloudHsmProfileMechanismsTest {
    /** pkcs11-mechanisms.html, every mechanism on it (CKM_RSA_X9_31_KEY_PAIR_GEN and the vendor ones only if implemented). */
    private static final Set<Long> SDK5 = Set.of(CKM.RSA_PKCS_KEY_PAIR_GEN, CKM.RSA_X9_31_KEY_PAIR_GEN, CKM.EC_KEY_PAIR_GEN,
            CKM.GENERIC_SECRET_KEY_GEN, CKM.AES_KEY_GEN, CKM.DES3_KEY_GEN, CKM.RSA_X_509, CKM.RSA_PKCS, CKM.RSA_PKCS_PSS,
            CKM.SHA1_RSA_PKCS, CKM.SHA224_RSA_PKCS, CKM.SHA256_RSA_PKCS, CKM.SHA384_RSA_PKCS, CKM.SHA512_RSA_PKCS,
            CKM.SHA1_RSA_PKCS_PSS, CKM.SHA224_RSA_PKCS_PSS, CKM.SHA256_RSA_PKCS_PSS, CKM.SHA384_RSA_PKCS_PSS,
            CKM.SHA512_RSA_PKCS_PSS, CKM.ECDSA, CKM.ECDSA_SHA1, CKM.ECDSA_SHA224, CKM.ECDSA_SHA256, CKM.ECDSA_SHA384,
            CKM.ECDSA_SHA512, CKM.SHA_1_HMAC, CKM.SHA224_HMAC, CKM.SHA256_HMAC, CKM.SHA384_HMAC, CKM.SHA512_HMAC,
            CKM.AES_CMAC, CKM.SHA_1, CKM.SHA224, CKM.SHA256, CKM.SHA384, CKM.SHA512, CKM.RSA_PKCS_OAEP, CKM.AES_ECB,
            CKM.AES_CTR, CKM.AES_CBC, CKM.AES_CBC_PAD, CKM.DES3_CBC, CKM.DES3_ECB, CKM.DES3_CBC_PAD, CKM.AES_GCM,
            CKM.CLOUDHSM_AES_GCM, CKM.SP800_108_COUNTER_KDF, CKM.ECDH1_DERIVE, CKM.RSA_AES_KEY_WRAP,
            CKM.CLOUDHSM_AES_KEY_WRAP_NO_PAD, CKM.CLOUDHSM_AES_KEY_WRAP_PKCS5_PAD, CKM.CLOUDHSM_AES_KEY_WRAP_ZERO_PAD);

    @TempDir
    Path dir;

    private Engine engine(TokenProfile p) {
        return EngineFixture.initialisedUnder(dir, p);
    }

    private static Set<Long> list(Engine e) {
        return Arrays.stream(e.C_GetMechanismList(0)).boxed().collect(Collectors.toSet());
    }

    @Test
    void aCloudHsmTokenListsOnlySdk5sMechanisms() {
        Set<Long> cloudHsm = list(engine(TokenProfile.CLOUDHSM));
        assertTrue(SDK5.containsAll(cloudHsm), "not on SDK 5's page: " + cloudHsm.stream().filter(t -> !SDK5.contains(t))
                .map(CKM::name).toList());
        assertTrue(cloudHsm.containsAll(List.of(CKM.AES_GCM, CKM.AES_CBC_PAD, CKM.SHA256_HMAC, CKM.ECDSA_SHA256,
                CKM.RSA_PKCS_OAEP, CKM.SHA256_RSA_PKCS_PSS, CKM.EC_KEY_PAIR_GEN, CKM.ECDH1_DERIVE)), cloudHsm.toString());
    }

    @Test
    void aPkcs11TokenListsWhatSdk5LacksButNoVendorMechanism() {
        Set<Long> pkcs11 = list(engine(TokenProfile.PKCS11));
        assertTrue(pkcs11.containsAll(List.of(CKM.EDDSA, CKM.SHA3_256, CKM.AES_KEY_WRAP, CKM.CHACHA20_POLY1305, CKM.ML_DSA)));
        assertTrue(pkcs11.stream().noneMatch(t -> (t & CKM.VENDOR_DEFINED) != 0), pkcs11.toString());
    }

    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void aMechanismSdk5LacksIsMechanismInvalidOnACloudHsmToken(TokenProfile profile) {
        Engine e = engine(profile);
        long s = userSession(e);
        if (profile.cloudHsm()) {
            assertRv(CKR.MECHANISM_INVALID, () -> e.C_GetMechanismInfo(0, CKM.EDDSA));
            assertRv(CKR.MECHANISM_INVALID, () -> e.C_DigestInit(s, Mechanism.of(CKM.SHA3_256)));
        } else {
            assertTrue((e.C_GetMechanismInfo(0, CKM.EDDSA).flags() & CKF.SIGN) != 0);
            e.C_DigestInit(s, Mechanism.of(CKM.SHA3_256));
        }
    }

    /** SDK 5 lists CKM_AES_CBC_PAD for encryption only and CKM_AES_GCM without PKCS#11 3.0's message functions. */
    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void aMechanismIsOfferedOnlyForTheFunctionsSdk5ListsItUnder(TokenProfile profile) {
        Engine e = engine(profile);
        long s = userSession(e);
        long cbcPadFlags = e.C_GetMechanismInfo(0, CKM.AES_CBC_PAD).flags();
        long gcmFlags = e.C_GetMechanismInfo(0, CKM.AES_GCM).flags();
        assertTrue((cbcPadFlags & CKF.ENCRYPT) != 0 && (gcmFlags & CKF.WRAP) != 0);
        assertEquals(!profile.cloudHsm(), (cbcPadFlags & CKF.WRAP) != 0);
        assertEquals(!profile.cloudHsm(), (gcmFlags & CKF.MESSAGE_ENCRYPT) != 0);
        long key = e.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.VALUE_LEN, 32L),
                Attribute.of(CKA.WRAP, true), Attribute.of(CKA.EXTRACTABLE, true)));
        Mechanism cbcPad = Mechanism.of(CKM.AES_CBC_PAD, new MechanismParams.Bytes(new byte[16]));
        if (profile.cloudHsm()) {
            assertRv(CKR.MECHANISM_INVALID, () -> e.C_WrapKey(s, cbcPad, key, key, null));
        } else {
            assertTrue(e.C_WrapKey(s, cbcPad, key, key, null) > 32);
        }
    }

    /** pkcs11-mechanisms.html, "Maximum data size for each mechanism": CKM_SHA256_HMAC takes 16288 bytes a call. */
    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void hmacDataOverSdk5sMaximumIsDataLenRangeOnACloudHsmToken(TokenProfile profile) {
        Engine e = engine(profile);
        long s = userSession(e);
        long key = e.C_GenerateKey(s, Mechanism.of(CKM.GENERIC_SECRET_KEY_GEN), List.of(Attribute.of(CKA.VALUE_LEN, 32L),
                Attribute.of(CKA.SIGN, true)));
        Mechanism hmac = Mechanism.of(CKM.SHA256_HMAC);
        e.C_SignInit(s, hmac, key);
        assertEquals(32, e.C_Sign(s, new byte[16288], new byte[32]));
        e.C_SignInit(s, hmac, key);
        if (profile.cloudHsm()) {
            assertRv(CKR.DATA_LEN_RANGE, () -> e.C_Sign(s, new byte[16289], new byte[32]));
            // the refusal ended the operation, as any error but a too small buffer does
            assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> e.C_Sign(s, new byte[1], new byte[32]));
            e.C_SignInit(s, hmac, key);
            assertRv(CKR.DATA_LEN_RANGE, () -> e.C_SignUpdate(s, new byte[16289]));
        } else {
            assertEquals(32, e.C_Sign(s, new byte[16289], new byte[32]));
        }
    }

    /** CKM_AES_CBC takes 16272 bytes a call; a decryption's too long input is CKR_ENCRYPTED_DATA_LEN_RANGE. */
    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void aesCbcDataOverSdk5sMaximumIsRefusedOnACloudHsmToken(TokenProfile profile) {
        Engine e = engine(profile);
        long s = userSession(e);
        long key = e.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.VALUE_LEN, 16L),
                Attribute.of(CKA.ENCRYPT, true), Attribute.of(CKA.DECRYPT, true)));
        Mechanism cbc = Mechanism.of(CKM.AES_CBC, new MechanismParams.Bytes(new byte[16]));
        e.C_EncryptInit(s, cbc, key);
        assertEquals(16272, e.C_Encrypt(s, new byte[16272], new byte[16272]));
        byte[] tooLong = new byte[16288];
        e.C_EncryptInit(s, cbc, key);
        e.C_DecryptInit(s, cbc, key);
        if (profile.cloudHsm()) {
            assertRv(CKR.DATA_LEN_RANGE, () -> e.C_EncryptUpdate(s, tooLong, new byte[16288]));
            assertRv(CKR.ENCRYPTED_DATA_LEN_RANGE, () -> e.C_Decrypt(s, tooLong, new byte[16288]));
        } else {
            assertEquals(16288, e.C_EncryptUpdate(s, tooLong, new byte[16288]));
            assertEquals(16288, e.C_Decrypt(s, tooLong, new byte[16288]));
        }
    }
}
