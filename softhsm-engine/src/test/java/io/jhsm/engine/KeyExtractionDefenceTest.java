package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.engine.object.KeyPolicyMode;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * C_WrapKey/C_UnwrapKey/C_DeriveKey rules on a token under the strict key policy, and the Tookan-style
 * attacks it must defeat. What a default token does instead: {@link DefaultKeyPolicyTest}.
 */
class KeyExtractionDefenceTest extends LoggedInUserTest {
    @Override
    KeyPolicyMode keyPolicy() {
        return KeyPolicyMode.STRICT;
    }

    static final Mechanism KW = Mechanism.of(CKM.AES_KEY_WRAP);
    private long generateAes(Attribute... extra) {
        List<Attribute> t = new ArrayList<>(List.of(Attribute.of(CKA.VALUE_LEN, 32L)));
        t.addAll(Arrays.asList(extra));
        return f.engine.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), t);
    }

    private long wrappingKey() {
        return generateAes(Attribute.of(CKA.WRAP, true), Attribute.of(CKA.UNWRAP, true),
                Attribute.of(CKA.ENCRYPT, false), Attribute.of(CKA.DECRYPT, false));
    }

    private long target() {
        return generateAes(Attribute.of(CKA.EXTRACTABLE, true), Attribute.of(CKA.SENSITIVE, true));
    }

    private byte[] wrap(long wrapping, long key) {
        byte[] out = new byte[f.engine.C_WrapKey(s, KW, wrapping, key, null)];
        f.engine.C_WrapKey(s, KW, wrapping, key, out);
        return out;
    }

    private byte[] encryptZeros(long key) {
        f.engine.C_EncryptInit(s, Mechanism.of(CKM.AES_ECB), key);
        byte[] out = new byte[16];
        f.engine.C_Encrypt(s, new byte[16], out);
        return out;
    }

    @Test
    void wrapThenUnwrapReproducesTheKeyWithoutRevealingIt() {
        long w = wrappingKey();
        long k = target();
        byte[] blob = wrap(w, k);
        assertEquals(40, blob.length);
        long back = f.engine.C_UnwrapKey(s, KW, w, blob, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.AES)));
        assertArrayEquals(encryptZeros(k), encryptZeros(back));
        assertEquals(CKR.ATTRIBUTE_SENSITIVE, f.engine.C_GetAttributeValue(s, back, new long[] {CKA.VALUE}).get(0).rv());
        assertEquals(false, f.engine.C_GetAttributeValue(s, back, new long[] {CKA.LOCAL}).get(0).value()[0] != 0);
    }

    @Test
    void unextractableKeysAreNotWrapped() {
        long w = wrappingKey();
        long k = generateAes(Attribute.of(CKA.EXTRACTABLE, false));
        assertRv(CKR.KEY_UNEXTRACTABLE, () -> wrap(w, k));
    }

    @Test
    void wrapThenDecryptWithTheSameKeyIsRefused() {
        long w = generateAes(Attribute.of(CKA.WRAP, true), Attribute.of(CKA.DECRYPT, true));
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED, () -> wrap(w, target()));
    }

    @Test
    void turningDecryptOnAfterWrappingIsRefused() {
        long w = wrappingKey();
        wrap(w, target());
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_SetAttributeValue(s, w, List.of(Attribute.of(CKA.DECRYPT, true))));
    }

    @Test
    void importedKnownValueWrappingKeyCannotWrap() {
        long known = f.aesKey(s, Attribute.of(CKA.WRAP, true), Attribute.of(CKA.DECRYPT, false));
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED, () -> wrap(known, target()));
    }

    @Test
    void unwrappedKeysCannotWrapSoDoubleUnwrapGainsNothing() {
        long w = wrappingKey();
        byte[] blob = wrap(w, target());
        long asWrapper = f.engine.C_UnwrapKey(s, KW, w, blob, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.WRAP, true), Attribute.of(CKA.DECRYPT, false)));
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED, () -> wrap(asWrapper, target()));
    }

    @Test
    void unwrappingKeyThatEncryptsCannotPlantKeys() {
        long both = generateAes(Attribute.of(CKA.UNWRAP, true), Attribute.of(CKA.ENCRYPT, true));
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED, () -> f.engine.C_UnwrapKey(s, KW, both, new byte[40],
                List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES))));
    }

    @Test
    void wrapWithPublicKeyWhosePrivateHalfDecryptsIsRefused() {
        long[] pair = f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.RSA_PKCS_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.MODULUS_BITS, 2048L), Attribute.of(CKA.WRAP, true)),
                List.of(Attribute.of(CKA.DECRYPT, true)));
        Mechanism oaep = Mechanism.of(CKM.RSA_PKCS_OAEP, new io.jhsm.pkcs11.MechanismParams.Oaep(CKM.SHA256,
                io.jhsm.pkcs11.CKG.MGF1_SHA256, io.jhsm.pkcs11.CKZ.DATA_SPECIFIED, new byte[0]));
        long k = target();
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED, () -> f.engine.C_WrapKey(s, oaep, pair[0], k, null));
    }

    @Test
    void wrappedBlobThatDoesNotAuthenticateIsRefused() {
        long w = wrappingKey();
        byte[] blob = wrap(w, target());
        blob[5] ^= 1;
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> f.engine.C_UnwrapKey(s, KW, w, blob,
                List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES))));
    }

    @Test
    void privateKeyTravelsAsPkcs8AndSignsTheSameAfterUnwrap() {
        long w = wrappingKey();
        long[] pair = f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.EC_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.EC_PARAMS, new byte[] {6, 8, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 3, 1, 7})),
                List.of(Attribute.of(CKA.EXTRACTABLE, true)));
        Mechanism kwp = Mechanism.of(CKM.AES_KEY_WRAP_KWP);
        byte[] blob = new byte[f.engine.C_WrapKey(s, kwp, w, pair[1], null)];
        f.engine.C_WrapKey(s, kwp, w, pair[1], blob);
        long back = f.engine.C_UnwrapKey(s, kwp, w, blob, List.of(Attribute.of(CKA.CLASS, CKO.PRIVATE_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.EC), Attribute.of(CKA.SIGN, true)));
        byte[] hash = new byte[32];
        f.engine.C_SignInit(s, Mechanism.of(CKM.ECDSA), back);
        byte[] sig = new byte[64];
        f.engine.C_Sign(s, hash, sig);
        f.engine.C_VerifyInit(s, Mechanism.of(CKM.ECDSA), pair[0]);
        f.engine.C_Verify(s, hash, sig);
    }

    private long[] ecPair() {
        return f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.EC_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.EC_PARAMS, new byte[] {6, 8, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 3, 1, 7})),
                List.of(Attribute.of(CKA.DERIVE, true)));
    }

    private long ecdh(long privateKey, long otherPublic, Attribute... extra) {
        byte[] point = f.engine.C_GetAttributeValue(s, otherPublic, new long[] {CKA.EC_POINT}).get(0).value();
        Mechanism m = Mechanism.of(CKM.ECDH1_DERIVE, new io.jhsm.pkcs11.MechanismParams.Ecdh1Derive(
                io.jhsm.pkcs11.CKD.NULL, new byte[0], point));
        List<Attribute> t = new ArrayList<>(List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE_LEN, 32L)));
        t.addAll(Arrays.asList(extra));
        return f.engine.C_DeriveKey(s, m, privateKey, t);
    }

    @Test
    void ecdhGivesBothSidesTheSameKey() {
        long[] a = ecPair();
        long[] b = ecPair();
        assertArrayEquals(encryptZeros(ecdh(a[1], b[0])), encryptZeros(ecdh(b[1], a[0])));
    }

    @Test
    void keyDerivedFromASensitiveKeyCannotBeReadable() {
        long[] a = ecPair();
        long[] b = ecPair();
        assertRv(CKR.TEMPLATE_INCONSISTENT, () -> ecdh(a[1], b[0], Attribute.of(CKA.SENSITIVE, false),
                Attribute.of(CKA.EXTRACTABLE, true)));
        long derived = ecdh(a[1], b[0]);
        assertEquals(true, f.engine.C_GetAttributeValue(s, derived, new long[] {CKA.ALWAYS_SENSITIVE}).get(0).value()[0] != 0);
    }

    @Test
    void aDefaultTemplateAesKeyCannotWrap() {
        long w = generateAes();
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED, () -> wrap(w, target()));
    }

    @Test
    void concatenatingASensitiveSecondKeyIntoAReadableKeyIsRefused() {
        long base = f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.VALUE, new byte[16]),
                Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true), Attribute.of(CKA.DERIVE, true)));
        long secret = generateAes(Attribute.of(CKA.EXTRACTABLE, false));
        assertRv(CKR.TEMPLATE_INCONSISTENT, () -> f.engine.C_DeriveKey(s, Mechanism.of(CKM.CONCATENATE_BASE_AND_KEY,
                new io.jhsm.pkcs11.MechanismParams.UlongValue(secret)), base, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.SENSITIVE, false),
                Attribute.of(CKA.EXTRACTABLE, true))));
    }
}
