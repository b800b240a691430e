package io.jhsm.engine.mechanism.edwards;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.hex;
import static io.jhsm.engine.mechanism.TestKeys.impl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.mechanism.GeneratedKeyPair;
import io.jhsm.engine.mechanism.JcaKeys;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.engine.mechanism.ec.EcCurves;
import io.jhsm.engine.mechanism.kdf.KdfFamiliesTest;
import io.jhsm.engine.mechanism.wrap.KeyEncodings;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.EdDSAParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;

/** EdDSA runs on BC, so it is checked against RFC 8032 and SunEC's Ed25519/Ed448 with EdDSAParameterSpec. */
class EdwardsFamilyTest {

    record Pair(KeyView pub, KeyView priv, ModernCurves curve) {}

    static Pair generate(long ckm, long keyType, byte[] ecParams) {
        GeneratedKeyPair kp = impl(ckm).generateKeyPair(Mechanism.of(ckm), new TemplateView(List.of(Attribute.of(CKA.EC_PARAMS, ecParams))), new TemplateView(List.of()));
        KeyView pub = TestKeys.key(CKO.PUBLIC_KEY, keyType, kp.publicKey());
        return new Pair(pub, TestKeys.key(CKO.PRIVATE_KEY, keyType, kp.privateKey()), ModernCurves.fromEcParams(ecParams, keyType));
    }

    static byte[] sign(MechanismParams p, KeyView k, byte[] data) {
        SignOperation op = impl(CKM.EDDSA).sign(Mechanism.of(CKM.EDDSA, p), k);
        op.update(data);
        return op.sign();
    }

    static void verify(MechanismParams p, KeyView k, byte[] data, byte[] sig) {
        VerifyOperation op = impl(CKM.EDDSA).verify(Mechanism.of(CKM.EDDSA, p), k);
        op.update(data);
        op.verify(sig);
    }

    private static PublicKey jcaPublic(Pair p) throws Exception {
        byte[] raw = ModernKeys.publicOctets(p.curve(), p.pub().attribute(CKA.EC_POINT), CKR.GENERAL_ERROR);
        byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(p.curve().oid), raw).getEncoded();
        return KeyFactory.getInstance(p.curve().names.get(1)).generatePublic(new X509EncodedKeySpec(spki));
    }

    @Test
    void ed25519MatchesRfc8032TestVector1() {
        KeyView priv = TestKeys.key(CKO.PRIVATE_KEY, CKK.EC_EDWARDS, List.of(Attribute.of(CKA.EC_PARAMS, ModernCurves.ED25519.encodedOid()),
                Attribute.of(CKA.VALUE, hex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"))));
        byte[] sig = sign(null, priv, new byte[0]);
        assertArrayEquals(hex("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"), sig);
        KeyView pub = TestKeys.key(CKO.PUBLIC_KEY, CKK.EC_EDWARDS, List.of(Attribute.of(CKA.EC_PARAMS, ModernCurves.ED25519.encodedOid()),
                Attribute.of(CKA.EC_POINT, hex("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"))));
        verify(null, pub, new byte[0], sig);
    }

    @Test
    void everyVariantVerifiesUnderSunEcAndBack() throws Exception {
        byte[] ctx = bytes(10, 1);
        byte[] data = bytes(300, 2);
        for (Pair p : new Pair[] {
            generate(CKM.EC_EDWARDS_KEY_PAIR_GEN, CKK.EC_EDWARDS, ModernCurves.ED25519.encodedOid()),
            generate(CKM.EC_EDWARDS_KEY_PAIR_GEN, CKK.EC_EDWARDS, new DERPrintableString("edwards448").getEncoded())}) {
            byte[] sig = sign(null, p.priv(), data);
            assertEquals(p.curve().signatureBytes, sig.length);
            Signature jca = Signature.getInstance(p.curve().names.get(1));
            jca.initVerify(jcaPublic(p));
            jca.update(data);
            assertTrue(jca.verify(sig), p.curve() + " pure");
            for (boolean ph : new boolean[] {false, true}) {
                MechanismParams.Eddsa params = new MechanismParams.Eddsa(ph, ctx);
                byte[] s = sign(params, p.priv(), data);
                jca.setParameter(new EdDSAParameterSpec(ph, ctx));
                jca.initVerify(jcaPublic(p));
                jca.update(data);
                assertTrue(jca.verify(s), p.curve() + " ph=" + ph);
                // And a SunEC signature verifies under ours (private key through our PKCS#8 encoding).
                jca.initSign(KeyFactory.getInstance(p.curve().names.get(1)).generatePrivate(new PKCS8EncodedKeySpec(KeyEncodings.toPkcs8(p.priv()))));
                jca.update(data);
                verify(params, p.pub(), data, jca.sign());
            }
        }
    }

    @Test
    void montgomeryKeyPairsAgree() {
        for (byte[] params : new byte[][] {ModernCurves.X25519.encodedOid(), ModernCurves.X448.encodedOid()}) {
            Pair a = generate(CKM.EC_MONTGOMERY_KEY_PAIR_GEN, CKK.EC_MONTGOMERY, params);
            Pair b = generate(CKM.EC_MONTGOMERY_KEY_PAIR_GEN, CKK.EC_MONTGOMERY, params);
            MechanismParams.Ecdh1Derive ab = new MechanismParams.Ecdh1Derive(io.jhsm.pkcs11.CKD.NULL, null, b.pub().attribute(CKA.EC_POINT));
            MechanismParams.Ecdh1Derive ba = new MechanismParams.Ecdh1Derive(io.jhsm.pkcs11.CKD.NULL, null, a.pub().attribute(CKA.EC_POINT));
            TemplateView t = new TemplateView(List.of());
            assertArrayEquals(KdfFamiliesTest.value(impl(CKM.ECDH1_DERIVE).deriveKey(Mechanism.of(CKM.ECDH1_DERIVE, ab), a.priv(), t)),
                    KdfFamiliesTest.value(impl(CKM.ECDH1_DERIVE).deriveKey(Mechanism.of(CKM.ECDH1_DERIVE, ba), b.priv(), t)));
        }
    }

    @Test
    void errorCodes() throws Exception {
        Pair p = generate(CKM.EC_EDWARDS_KEY_PAIR_GEN, CKK.EC_EDWARDS, ModernCurves.ED25519.encodedOid());
        byte[] sig = sign(null, p.priv(), bytes(5, 1));
        assertRv(CKR.SIGNATURE_INVALID, () -> verify(null, p.pub(), bytes(5, 2), sig));
        assertRv(CKR.SIGNATURE_LEN_RANGE, () -> verify(null, p.pub(), bytes(5, 1), new byte[63]));
        assertRv(CKR.SIGNATURE_INVALID, () -> verify(new MechanismParams.Eddsa(false, bytes(3, 1)), p.pub(), bytes(5, 1), sig));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> sign(new MechanismParams.Eddsa(false, new byte[256]), p.priv(), bytes(5, 1)));
        assertRv(CKR.CURVE_NOT_SUPPORTED, () -> generate(CKM.EC_EDWARDS_KEY_PAIR_GEN, CKK.EC_EDWARDS, ModernCurves.X25519.encodedOid()));
        assertRv(CKR.CURVE_NOT_SUPPORTED, () -> generate(CKM.EC_MONTGOMERY_KEY_PAIR_GEN, CKK.EC_MONTGOMERY, EcCurves.P256.encodedOid()));
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> sign(null, JcaKeys.RSA_PRIV, bytes(5, 1)));
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> verify(null, p.priv(), bytes(5, 1), sig));
        assertRv(CKR.TEMPLATE_INCOMPLETE, () -> impl(CKM.EC_EDWARDS_KEY_PAIR_GEN).generateKeyPair(Mechanism.of(CKM.EC_EDWARDS_KEY_PAIR_GEN),
                new TemplateView(List.of()), new TemplateView(List.of())));
        assertEquals(false, impl(CKM.EDDSA).sign(Mechanism.of(CKM.EDDSA), p.priv()).multiPart());
    }
}
