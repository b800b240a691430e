package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.engine.object.CheckValue;
import io.jhsm.engine.cloudhsm.KeyPolicy;
import io.jhsm.engine.object.JhsmAttributes;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKU;
import io.jhsm.pkcs11.Mechanism;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.Cipher;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CloudHSM's ownership rules through PKCS#11: owner, shared users, everyone else, and the admin. */
class KeyOwnershipTest {
    static final byte[] ALICE = bytes("alice:alice-password");
    static final byte[] BOB = bytes("bob:bob-password");
    static final byte[] CAROL = bytes("carol:carol-password");

    /** DER OID of prime256v1. */
    static final byte[] P256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};

    @TempDir
    Path dir;
    EngineFixture f;
    long s;

    @BeforeEach
    void setUp() {
        f = new EngineFixture(dir).initialised();
        s = f.rwSession();
        f.engine.C_Login(s, CKU.SO, EngineFixture.SO_PIN);
        f.engine.C_InitPIN(s, ALICE);
        f.engine.C_InitPIN(s, BOB);
        f.engine.C_InitPIN(s, CAROL);
        f.engine.C_Logout(s);
    }

    private void as(byte[] pin) {
        try {
            f.engine.C_Logout(s);
        } catch (io.jhsm.pkcs11.CkException notLoggedIn) {
            // first login of the test
        }
        f.engine.C_Login(s, CKU.USER, pin);
    }

    private long signingKey() {
        return f.engine.C_GenerateKey(s, Mechanism.of(CKM.GENERIC_SECRET_KEY_GEN), List.of(
                Attribute.of(CKA.TOKEN, true), Attribute.of(CKA.VALUE_LEN, 32L), Attribute.of(CKA.SIGN, true),
                Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.EXTRACTABLE, true),
                Attribute.of(CKA.LABEL, "shared")));
    }

    private void share(long key, String... users) {
        f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(io.jhsm.engine.object.JhsmAttributes.SHARED_WITH,
                KeyPolicy.encode(new LinkedHashSet<>(List.of(users))))));
    }

    private long[] find() {
        f.engine.C_FindObjectsInit(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY)));
        long[] found = f.engine.C_FindObjects(s, 100);
        f.engine.C_FindObjectsFinal(s);
        return found;
    }

    private void sign(long key) {
        f.engine.C_SignInit(s, Mechanism.of(CKM.SHA256_HMAC), key);
        f.engine.C_Sign(s, bytes("data"), new byte[32]);
    }

    @Test
    void aCryptoUserSeesOnlyItsOwnAndSharedKeys() {
        as(ALICE);
        long key = signingKey();
        as(BOB);
        assertEquals(0, find().length);
        assertRv(CKR.OBJECT_HANDLE_INVALID, () -> f.engine.C_GetAttributeValue(s, key, new long[] {CKA.LABEL}));
        assertRv(CKR.KEY_HANDLE_INVALID, () -> f.engine.C_SignInit(s, Mechanism.of(CKM.SHA256_HMAC), key));
        as(ALICE);
        share(key, "bob");
        as(BOB);
        assertArrayEquals(new long[] {key}, find());
        sign(key);
        as(CAROL);
        assertEquals(0, find().length);
    }

    @Test
    void aSharedUserMayUseButNotManageTheKey() {
        as(ALICE);
        long key = signingKey();
        share(key, "bob");
        as(BOB);
        sign(key);
        assertRv(CKR.ACTION_PROHIBITED, () -> f.engine.C_DestroyObject(s, key));
        assertRv(CKR.ACTION_PROHIBITED, () -> f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.LABEL, "mine"))));
        assertRv(CKR.ACTION_PROHIBITED, () -> share(key, "bob", "carol"));
        assertRv(CKR.ACTION_PROHIBITED, () -> f.engine.C_CopyObject(s, key, List.of()));
        long wrapping = f.engine.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.VALUE_LEN, 32L),
                Attribute.of(CKA.WRAP, true), Attribute.of(CKA.DECRYPT, false)));
        assertRv(CKR.ACTION_PROHIBITED, () -> f.engine.C_WrapKey(s, Mechanism.of(CKM.AES_KEY_WRAP), wrapping, key, null));
        as(ALICE);
        share(key);
        as(BOB);
        assertEquals(0, find().length);
        as(ALICE);
        f.engine.C_DestroyObject(s, key);
    }

    @Test
    void sharesNameExistingCryptoUsersOtherThanTheOwner() {
        as(ALICE);
        long key = signingKey();
        assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> share(key, "nobody"));
        assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> share(key, "admin"));
        assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> share(key, "alice"));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE, new byte[16]),
                Attribute.of(io.jhsm.engine.object.JhsmAttributes.SHARED_WITH, bytes("bob\n")))));
    }

    @Test
    void publicKeysAreVisibleToEveryCryptoUser() {
        as(ALICE);
        long[] pair = f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.EC_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.EC_PARAMS, P256), Attribute.of(CKA.TOKEN, true)),
                List.of(Attribute.of(CKA.TOKEN, true)));
        as(BOB);
        f.engine.C_FindObjectsInit(s, List.of());
        Set<Long> seen = new java.util.HashSet<>();
        for (long h : f.engine.C_FindObjects(s, 100)) {
            // Every token also shows its CKO_PROFILE objects to everyone; keys are what this rule is about.
            byte[] cls = f.engine.C_GetAttributeValue(s, h, new long[] {CKA.CLASS}).get(0).value();
            if (io.jhsm.pkcs11.Ulong.decode(cls) != io.jhsm.pkcs11.CKO.PROFILE) {
                seen.add(h);
            }
        }
        f.engine.C_FindObjectsFinal(s);
        assertEquals(Set.of(pair[0]), seen);
        f.engine.C_VerifyInit(s, Mechanism.of(CKM.ECDSA), pair[0]);
        assertRv(CKR.ACTION_PROHIBITED, () -> f.engine.C_DestroyObject(s, pair[0]));
    }

    @Test
    void onAPlainTokenTheOfficerKeepsPkcs11UseOfPublicKeysAndAloneSetsTrusted() {
        as(ALICE);
        long[] pair = f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.EC_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.EC_PARAMS, P256), Attribute.of(CKA.TOKEN, true)),
                List.of(Attribute.of(CKA.TOKEN, true)));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_SetAttributeValue(s, pair[0], List.of(Attribute.of(CKA.TRUSTED, true))));
        f.engine.C_Logout(s);
        f.engine.C_Login(s, CKU.SO, EngineFixture.SO_PIN);
        assertRv(CKR.USER_NOT_LOGGED_IN, () -> f.engine.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN),
                List.of(Attribute.of(CKA.VALUE_LEN, 16L))));
        f.engine.C_VerifyInit(s, Mechanism.of(CKM.ECDSA), pair[0]);
        f.engine.C_SetAttributeValue(s, pair[0], List.of(Attribute.of(CKA.TRUSTED, true)));
        assertRv(CKR.ACTION_PROHIBITED, () -> f.engine.C_SetAttributeValue(s, pair[0], List.of(Attribute.of(CKA.LABEL, "x"))));
    }

    @Test
    void onAPlainTokenTheAttributesPkcs11LetChangeDoChange() {
        as(ALICE);
        long key = signingKey();
        f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.LABEL, "renamed"), Attribute.of(CKA.WRAP_WITH_TRUSTED, true),
                Attribute.of(CKA.START_DATE, bytes("20250101")), Attribute.of(CKA.COPYABLE, false)));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.WRAP_WITH_TRUSTED, false))));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.COPYABLE, true))));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_SetAttributeValue(s, key,
                List.of(Attribute.of(CKA.ALLOWED_MECHANISMS, io.jhsm.pkcs11.Ulong.encode(CKM.SHA256_HMAC)))));
    }

    @Test
    void checkValueIsTheFirstThreeBytesOfAZeroBlock() throws Exception {
        as(ALICE);
        byte[] value = new byte[16];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) i;
        }
        long key = f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE, value)));
        Cipher c = Cipher.getInstance("AES/ECB/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(value, "AES"));
        byte[] expected = java.util.Arrays.copyOf(c.doFinal(new byte[16]), 3);
        assertArrayEquals(expected, f.engine.C_GetAttributeValue(s, key, new long[] {CKA.CHECK_VALUE}).get(0).value());
        assertArrayEquals(expected, CheckValue.of(CKK.AES, value));
    }
}
