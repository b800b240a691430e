package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.profile.TokenProfile;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The cloudhsm profile's rules for new keys (CloudHSM Client SDK 5: attributes tables, error codes, supported key
 * types, known issue ki-pkcs11-6) beside the specification's behaviour on a pkcs11 token, through the engine.
 */
class CloudHsmKeyRulesTest {
    private static final byte[] E = {1, 0, 1};

    @TempDir
    Path dir;
    private Engine engine;
    private long s;

    private void open(TokenProfile profile) {
        EngineFixture f = EngineFixture.initialisedWithProfile(dir, profile);
        engine = f.engine;
        s = f.userSession();
    }

    @AfterEach
    void finish() {
        if (engine != null) {
            engine.C_Finalize();
        }
    }

    private long aes(Attribute... extra) {
        List<Attribute> t = new ArrayList<>(List.of(Attribute.of(CKA.VALUE_LEN, 32L)));
        t.addAll(Arrays.asList(extra));
        return engine.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), t);
    }

    private long[] rsa(long bits, List<Attribute> publicExtra, List<Attribute> privateExtra) {
        List<Attribute> pub = new ArrayList<>(List.of(Attribute.of(CKA.MODULUS_BITS, bits), Attribute.of(CKA.PUBLIC_EXPONENT, E)));
        pub.addAll(publicExtra);
        return engine.C_GenerateKeyPair(s, Mechanism.of(CKM.RSA_PKCS_KEY_PAIR_GEN), pub, privateExtra);
    }

    private boolean flag(long key, long type) {
        return engine.C_GetAttributeValue(s, key, new long[] {type}).get(0).value()[0] != 0;
    }

    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void privateFalseIsRefusedOnlyUnderCloudHsm(TokenProfile profile) {
        open(profile);
        Attribute notPrivate = Attribute.of(CKA.PRIVATE, false);
        List<Attribute> imported = List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES),
                Attribute.of(CKA.VALUE, new byte[16]), notPrivate);
        if (profile.cloudHsm()) {
            assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> aes(notPrivate));
            assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> engine.C_CreateObject(s, imported));
            assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> rsa(2048, List.of(notPrivate), List.of()));
            assertTrue(flag(aes(Attribute.of(CKA.PRIVATE, true)), CKA.PRIVATE), "TRUE, the default, may be given");
        } else {
            assertFalse(flag(aes(notPrivate), CKA.PRIVATE));
            assertFalse(flag(engine.C_CreateObject(s, imported), CKA.PRIVATE));
            assertFalse(flag(rsa(2048, List.of(notPrivate), List.of())[0], CKA.PRIVATE));
        }
    }

    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void cloudHsmDefaultsPermitNoUsageAndKeepEveryKeyPrivateAndExtractable(TokenProfile profile) {
        open(profile);
        long key = aes();
        long[] pair = rsa(2048, List.of(), List.of());
        boolean cloud = profile.cloudHsm();
        assertEquals(!cloud, flag(key, CKA.ENCRYPT));
        assertEquals(!cloud, flag(key, CKA.DECRYPT));
        assertEquals(!cloud, flag(key, CKA.WRAP));
        assertEquals(cloud, flag(key, CKA.EXTRACTABLE));
        assertTrue(flag(key, CKA.SENSITIVE));
        assertEquals(cloud, flag(pair[0], CKA.PRIVATE), "CloudHSM's default for CKA_PRIVATE is TRUE on public keys too");
        assertEquals(!cloud, flag(pair[0], CKA.VERIFY));
        assertEquals(!cloud, flag(pair[1], CKA.SIGN));
        assertEquals(cloud, flag(pair[1], CKA.EXTRACTABLE));
        assertTrue(flag(aes(Attribute.of(CKA.ENCRYPT, true)), CKA.ENCRYPT), "what the caller gives wins");
    }

    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void aStandardAttributeCloudHsmDoesNotSupportIsTemplateInconsistent(TokenProfile profile) {
        open(profile);
        Attribute startDate = Attribute.of(CKA.START_DATE, "20260101".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        Attribute signRecover = Attribute.of(CKA.SIGN_RECOVER, true);
        if (profile.cloudHsm()) {
            assertRv(CKR.TEMPLATE_INCONSISTENT, () -> aes(startDate));
            assertRv(CKR.TEMPLATE_INCONSISTENT, () -> rsa(2048, List.of(), List.of(signRecover)));
        } else {
            aes(startDate);
            assertTrue(flag(rsa(2048, List.of(), List.of(signRecover))[1], CKA.SIGN_RECOVER));
        }
    }

    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void cloudHsmGeneratesRsaModuliFrom2048To4096InStepsOf256(TokenProfile profile) {
        open(profile);
        int before = keyCount();
        if (profile.cloudHsm()) {
            assertRv(CKR.KEY_SIZE_RANGE, () -> rsa(3000, List.of(), List.of()));
            assertEquals(before, keyCount(), "a refused pair leaves no half behind");
            rsa(2304, List.of(), List.of());
        } else {
            rsa(3000, List.of(), List.of());
        }
        assertEquals(before + 2, keyCount());
    }

    /**
     * SDK 5 lists CKM_RSA_X9_31_KEY_PAIR_GEN, "functionally identical" to the PKCS#1 one; X9.31 moduli go by 256 bits.
     * A pkcs11 token does not offer it: jhsm does not generate ANSI X9.31's primes, which the specification asks for.
     */
    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void x931KeyPairGenerationMakesRsaKeysInStepsOf256BitsOnlyOnACloudHsmToken(TokenProfile profile) {
        open(profile);
        List<Attribute> pub = List.of(Attribute.of(CKA.MODULUS_BITS, 2048L), Attribute.of(CKA.PUBLIC_EXPONENT, E));
        if (!profile.cloudHsm()) {
            assertRv(CKR.MECHANISM_INVALID, () -> engine.C_GenerateKeyPair(s, Mechanism.of(CKM.RSA_X9_31_KEY_PAIR_GEN), pub, List.of()));
            return;
        }
        long[] pair = engine.C_GenerateKeyPair(s, Mechanism.of(CKM.RSA_X9_31_KEY_PAIR_GEN), pub, List.of());
        byte[] mechanism = engine.C_GetAttributeValue(s, pair[1], new long[] {CKA.KEY_GEN_MECHANISM}).get(0).value();
        assertEquals(CKM.RSA_X9_31_KEY_PAIR_GEN, io.jhsm.pkcs11.Ulong.decode(mechanism));
        assertRv(CKR.KEY_SIZE_RANGE, () -> engine.C_GenerateKeyPair(s, Mechanism.of(CKM.RSA_X9_31_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.MODULUS_BITS, 2100L), Attribute.of(CKA.PUBLIC_EXPONENT, E)), List.of()));
    }

    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void exponentInThePrivateTemplateGivesAnUnusableKeyUnderCloudHsm(TokenProfile profile) {
        open(profile);
        List<Attribute> priv = List.of(Attribute.of(CKA.PUBLIC_EXPONENT, E), Attribute.of(CKA.SIGN, true),
                Attribute.of(CKA.DECRYPT, true));
        long privateKey = rsa(2048, List.of(), priv)[1];
        boolean usable = !profile.cloudHsm();
        assertEquals(usable, flag(privateKey, CKA.SIGN), "ki-pkcs11-6: every usage FALSE, and no error");
        assertEquals(usable, flag(privateKey, CKA.DECRYPT));
        assertEquals(usable, flag(privateKey, CKA.UNWRAP));
    }

    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void keyTypesCloudHsmLacksAreRefused(TokenProfile profile) {
        open(profile);
        List<Attribute> chacha = List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.CHACHA20),
                Attribute.of(CKA.VALUE, new byte[32]));
        if (profile.cloudHsm()) {
            assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> engine.C_CreateObject(s, chacha));
        } else {
            engine.C_CreateObject(s, chacha);
        }
    }

    @ParameterizedTest
    @EnumSource(TokenProfile.class)
    void theRefusalSaysWhatCloudHsmRequires(TokenProfile profile) {
        open(profile);
        if (profile.cloudHsm()) {
            CkException e = org.junit.jupiter.api.Assertions.assertThrows(CkException.class, () -> aes(Attribute.of(CKA.PRIVATE, false)));
            assertTrue(e.getMessage().contains("cloudhsm profile: CKA_PRIVATE may only be given at its default"), e.getMessage());
        } else {
            aes(Attribute.of(CKA.PRIVATE, false));
        }
    }

    private int keyCount() {
        engine.C_FindObjectsInit(s, List.of());
        int n = engine.C_FindObjects(s, 1000).length;
        engine.C_FindObjectsFinal(s);
        return n;
    }
}
