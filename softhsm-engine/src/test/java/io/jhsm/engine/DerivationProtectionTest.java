package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKD;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * On a token with the default key policy: C_DeriveKey never sheds a key's protection when it copies key
 * bytes (PKCS#11 3.0 §2.43), one-way KDFs follow the template (§2.3.x ECDH, the C_DeriveKey rules for
 * CKA_ALWAYS_SENSITIVE/NEVER_EXTRACTABLE), and wrapping follows the specification alone, so a
 * default-template AES key wraps. Cross-checked with the JDK.
 */
class DerivationProtectionTest extends LoggedInUserTest {
    static final byte[] P256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};

    private long readableBase() {
        return f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.VALUE, filled(16, 0x11)),
                Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true), Attribute.of(CKA.DERIVE, true)));
    }

    /** A generated key that may do nothing but exist: sensitive, unextractable, every usage off. */
    private long lockedKey(Attribute... extra) {
        List<Attribute> t = new ArrayList<>(List.of(Attribute.of(CKA.VALUE_LEN, 16L), Attribute.of(CKA.SENSITIVE, true),
                Attribute.of(CKA.EXTRACTABLE, false), Attribute.of(CKA.ENCRYPT, false), Attribute.of(CKA.DECRYPT, false),
                Attribute.of(CKA.WRAP, false), Attribute.of(CKA.UNWRAP, false)));
        t.addAll(Arrays.asList(extra));
        return f.engine.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), t);
    }

    private static List<Attribute> readable(long keyType, long length) {
        return List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, keyType),
                Attribute.of(CKA.VALUE_LEN, length), Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true));
    }

    private long concatenate(long base, long second, List<Attribute> template) {
        return f.engine.C_DeriveKey(s, Mechanism.of(CKM.CONCATENATE_BASE_AND_KEY, new MechanismParams.UlongValue(second)),
                base, template);
    }

    private boolean flag(long key, long type) {
        return f.engine.C_GetAttributeValue(s, key, new long[] {type}).get(0).value()[0] != 0;
    }

    private long valueRv(long key) {
        return f.engine.C_GetAttributeValue(s, key, new long[] {CKA.VALUE}).get(0).rv();
    }

    private byte[] value(long key) {
        return f.engine.C_GetAttributeValue(s, key, new long[] {CKA.VALUE}).get(0).value();
    }

    @Test
    void concatenatingASensitiveSecondKeyNeverRevealsIt() {
        long derived = concatenate(readableBase(), lockedKey(), readable(CKK.GENERIC_SECRET, 32));
        assertEquals(CKR.ATTRIBUTE_SENSITIVE, valueRv(derived), "the second key's bytes must not be readable");
        assertTrue(flag(derived, CKA.SENSITIVE));
        assertFalse(flag(derived, CKA.EXTRACTABLE));
        assertFalse(flag(derived, CKA.ALWAYS_SENSITIVE), "the base key was readable");
    }

    @Test
    void alwaysSensitiveAndNeverExtractableCombineBothConcatenatedKeys() {
        long always = lockedKey(Attribute.of(CKA.DERIVE, true));
        long imported = f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE, filled(16, 0x22))));
        List<Attribute> sensitive = List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET));
        long mixed = concatenate(always, imported, sensitive);
        assertFalse(flag(mixed, CKA.ALWAYS_SENSITIVE), "the second key was imported, so not always sensitive");
        assertFalse(flag(mixed, CKA.NEVER_EXTRACTABLE));
        long pure = concatenate(always, lockedKey(), sensitive);
        assertTrue(flag(pure, CKA.ALWAYS_SENSITIVE));
        assertTrue(flag(pure, CKA.NEVER_EXTRACTABLE));
    }

    @Test
    void wrapWithTrustedSurvivesAByteCopyingDerivation() {
        long trustedOnly = f.engine.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.VALUE_LEN, 16L),
                Attribute.of(CKA.EXTRACTABLE, true), Attribute.of(CKA.WRAP_WITH_TRUSTED, true), Attribute.of(CKA.DERIVE, true)));
        long copy = f.engine.C_DeriveKey(s, Mechanism.of(CKM.XOR_BASE_AND_DATA, new MechanismParams.DerivationString(new byte[16])),
                trustedOnly, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY), Attribute.of(CKA.KEY_TYPE, CKK.AES),
                        Attribute.of(CKA.EXTRACTABLE, true)));
        assertTrue(flag(copy, CKA.WRAP_WITH_TRUSTED));
        long untrusted = f.engine.C_GenerateKey(s, Mechanism.of(CKM.AES_KEY_GEN), List.of(Attribute.of(CKA.VALUE_LEN, 32L),
                Attribute.of(CKA.WRAP, true), Attribute.of(CKA.DECRYPT, false)));
        assertRv(CKR.KEY_NOT_WRAPPABLE, () -> f.engine.C_WrapKey(s, Mechanism.of(CKM.AES_KEY_WRAP), untrusted, copy, null));
    }

    @Test
    void aDefaultTemplateAesKeyWrapsAndUnwrapsAsTheJdkDoes() throws Exception {
        byte[] wrappingValue = filled(32, 0x33);
        byte[] keyValue = filled(16, 0x44);
        // CKA_ENCRYPT, DECRYPT, WRAP and UNWRAP all default to true; the key is imported, not local.
        long w = f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE, wrappingValue)));
        long k = f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE, keyValue), Attribute.of(CKA.EXTRACTABLE, true)));
        Mechanism kw = Mechanism.of(CKM.AES_KEY_WRAP);
        byte[] blob = new byte[f.engine.C_WrapKey(s, kw, w, k, null)];
        f.engine.C_WrapKey(s, kw, w, k, blob);
        Cipher jdk = Cipher.getInstance("AESWrap");
        jdk.init(Cipher.WRAP_MODE, new SecretKeySpec(wrappingValue, "AES"));
        assertArrayEquals(jdk.wrap(new SecretKeySpec(keyValue, "AES")), blob);
        long back = f.engine.C_UnwrapKey(s, kw, w, blob, readable(CKK.AES, 16));
        assertArrayEquals(keyValue, value(back));
    }

    @Test
    void cipherRolesChangeBothWaysOnADefaultToken() {
        long key = lockedKey();
        f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.DECRYPT, true), Attribute.of(CKA.WRAP, true)));
        assertTrue(flag(key, CKA.DECRYPT));
        f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.DECRYPT, false)));
        assertFalse(flag(key, CKA.DECRYPT));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.SENSITIVE, false))));
        assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_SetAttributeValue(s, key, List.of(Attribute.of(CKA.EXTRACTABLE, true))));
    }

    @Test
    void anExtractableEcdhSecretFromASensitiveKeyFollowsTheTemplate() throws Exception {
        long[] token = f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.EC_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.EC_PARAMS, P256)), List.of(Attribute.of(CKA.DERIVE, true)));
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair peer = g.generateKeyPair();
        ECPoint w = ((ECPublicKey) peer.getPublic()).getW();
        byte[] peerPoint = new byte[65];
        peerPoint[0] = 4;
        System.arraycopy(unsigned32(w.getAffineX()), 0, peerPoint, 1, 32);
        System.arraycopy(unsigned32(w.getAffineY()), 0, peerPoint, 33, 32);
        long secret = f.engine.C_DeriveKey(s, Mechanism.of(CKM.ECDH1_DERIVE, new MechanismParams.Ecdh1Derive(CKD.NULL,
                new byte[0], peerPoint)), token[1], readable(CKK.GENERIC_SECRET, 32));
        assertFalse(flag(secret, CKA.ALWAYS_SENSITIVE));
        assertFalse(flag(secret, CKA.NEVER_EXTRACTABLE));

        byte[] der = f.engine.C_GetAttributeValue(s, token[0], new long[] {CKA.EC_POINT}).get(0).value();
        byte[] raw = Arrays.copyOfRange(der, der.length - 65, der.length);
        ECPublicKey tokenPublic = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(
                new ECPoint(new BigInteger(1, Arrays.copyOfRange(raw, 1, 33)), new BigInteger(1, Arrays.copyOfRange(raw, 33, 65))),
                ((ECPublicKey) peer.getPublic()).getParams()));
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(peer.getPrivate());
        ka.doPhase(tokenPublic, true);
        assertArrayEquals(ka.generateSecret(), value(secret));

        long kept = f.engine.C_DeriveKey(s, Mechanism.of(CKM.ECDH1_DERIVE, new MechanismParams.Ecdh1Derive(CKD.NULL,
                new byte[0], peerPoint)), token[1], List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE_LEN, 32L)));
        assertTrue(flag(kept, CKA.ALWAYS_SENSITIVE), "sensitive by default, from an always-sensitive key");
    }

    @Test
    void copyingAKeyNeverShedsItsProtection() {
        long key = lockedKey(Attribute.of(CKA.WRAP_WITH_TRUSTED, true));
        for (Attribute loosened : List.of(Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true),
                Attribute.of(CKA.WRAP_WITH_TRUSTED, false))) {
            assertRv(CKR.ATTRIBUTE_READ_ONLY, () -> f.engine.C_CopyObject(s, key, List.of(loosened)));
        }
        long copy = f.engine.C_CopyObject(s, key, List.of(Attribute.of(CKA.DECRYPT, true)));
        assertEquals(CKR.ATTRIBUTE_SENSITIVE, valueRv(copy));
        assertTrue(flag(copy, CKA.WRAP_WITH_TRUSTED));
    }

    static byte[] filled(int length, int b) {
        byte[] v = new byte[length];
        Arrays.fill(v, (byte) b);
        return v;
    }

    private static byte[] unsigned32(BigInteger n) {
        byte[] b = n.toByteArray();
        byte[] out = new byte[32];
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, 32 - len, len);
        return out;
    }
}
