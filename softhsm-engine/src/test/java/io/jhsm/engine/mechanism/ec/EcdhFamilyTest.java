package io.jhsm.engine.mechanism.ec;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.hex;
import static io.jhsm.engine.mechanism.TestKeys.impl;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.engine.mechanism.BigInts;
import io.jhsm.engine.mechanism.JcaKeys;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.engine.mechanism.edwards.ModernCurves;
import io.jhsm.engine.mechanism.wrap.KeyEncodings;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKD;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.List;
import javax.crypto.KeyAgreement;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.generators.KDF2BytesGenerator;
import org.bouncycastle.crypto.params.KDFParameters;
import org.junit.jupiter.api.Test;

/** ECDH runs on BC, so shared secrets are checked against SunEC's KeyAgreement, and the X9.63 KDF against BC's KDF2. */
class EcdhFamilyTest {

    static KeyPair ec(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }

    /** Our view of a JDK private key, through the PKCS#8 import path. */
    static KeyView privateView(KeyPair kp) {
        List<Attribute> attrs = KeyEncodings.fromPkcs8(kp.getPrivate().getEncoded());
        return TestKeys.key(CKO.PRIVATE_KEY, io.jhsm.pkcs11.Ulong.decode(attrs.get(0).value()), attrs);
    }

    static byte[] uncompressed(ECPublicKey k, int fieldBytes) {
        return TestKeys.concat(new byte[] {4}, BigInts.encode(k.getW().getAffineX(), fieldBytes), BigInts.encode(k.getW().getAffineY(), fieldBytes));
    }

    static byte[] jcaAgree(String alg, KeyPair mine, KeyPair peer) throws Exception {
        KeyAgreement ka = KeyAgreement.getInstance(alg);
        ka.init(mine.getPrivate());
        ka.doPhase(peer.getPublic(), true);
        return ka.generateSecret();
    }

    private static byte[] derive(long ckm, MechanismParams.Ecdh1Derive p, KeyView base, Attribute... template) {
        List<Attribute> out = impl(ckm).deriveKey(Mechanism.of(ckm, p), base, new TemplateView(List.of(template)));
        return out.stream().filter(a -> a.type() == CKA.VALUE).findFirst().orElseThrow().value();
    }

    @Test
    void nistCurvesAgreeWithSunEc() throws Exception {
        for (String[] c : new String[][] {{"secp256r1", "32"}, {"secp384r1", "48"}, {"secp521r1", "66"}}) {
            KeyPair a = ec(c[0]);
            KeyPair b = ec(c[0]);
            byte[] z = jcaAgree("ECDH", a, b);
            byte[] point = uncompressed((ECPublicKey) a.getPublic(), Integer.parseInt(c[1]));
            MechanismParams.Ecdh1Derive p = new MechanismParams.Ecdh1Derive(CKD.NULL, null, point);
            assertArrayEquals(z, derive(CKM.ECDH1_DERIVE, p, privateView(b)), c[0]);
            assertArrayEquals(z, derive(CKM.ECDH1_COFACTOR_DERIVE, p, privateView(b)), c[0]);
            // The DER OCTET STRING form of the point is accepted too.
            MechanismParams.Ecdh1Derive der = new MechanismParams.Ecdh1Derive(CKD.NULL, null, new org.bouncycastle.asn1.DEROctetString(point).getEncoded());
            assertArrayEquals(z, derive(CKM.ECDH1_DERIVE, der, privateView(b)), c[0]);
        }
    }

    @Test
    void x963KdfMatchesBouncyCastleKdf2() throws Exception {
        KeyPair a = ec("secp256r1");
        KeyPair b = ec("secp256r1");
        byte[] z = jcaAgree("ECDH", a, b);
        byte[] info = bytes(20, 3);
        KDF2BytesGenerator kdf = new KDF2BytesGenerator(new SHA256Digest());
        kdf.init(new KDFParameters(z, info));
        byte[] expected = new byte[32];
        kdf.generateBytes(expected, 0, 32);
        MechanismParams.Ecdh1Derive p = new MechanismParams.Ecdh1Derive(CKD.SHA256_KDF, info, uncompressed((ECPublicKey) a.getPublic(), 32));
        List<Attribute> key = impl(CKM.ECDH1_DERIVE).deriveKey(Mechanism.of(CKM.ECDH1_DERIVE, p), privateView(b),
                new TemplateView(List.of(Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE_LEN, 32L))));
        assertEquals(CKK.AES, io.jhsm.pkcs11.Ulong.decode(key.get(0).value()));
        assertArrayEquals(expected, key.get(1).value());
        // 100 bytes needs four SHA-256 blocks: the counter must run.
        kdf.init(new KDFParameters(z, info));
        byte[] longer = new byte[100];
        kdf.generateBytes(longer, 0, 100);
        assertArrayEquals(longer, derive(CKM.ECDH1_DERIVE, p, privateView(b), Attribute.of(CKA.VALUE_LEN, 100L)));
    }

    @Test
    void montgomeryMatchesRfc7748AndTheJdk() throws Exception {
        byte[] alice = hex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bobPublic = hex("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        KeyView a = TestKeys.key(CKO.PRIVATE_KEY, CKK.EC_MONTGOMERY,
                List.of(Attribute.of(CKA.EC_PARAMS, ModernCurves.X25519.encodedOid()), Attribute.of(CKA.VALUE, alice)));
        assertArrayEquals(hex("4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742"),
                derive(CKM.ECDH1_DERIVE, new MechanismParams.Ecdh1Derive(CKD.NULL, null, bobPublic), a));
        for (String alg : new String[] {"X25519", "X448"}) {
            KeyPair x = JcaKeys.generate(alg, 0);
            KeyPair y = JcaKeys.generate(alg, 0);
            byte[] spki = x.getPublic().getEncoded();
            int n = alg.equals("X25519") ? 32 : 56;
            byte[] raw = Arrays.copyOfRange(spki, spki.length - n, spki.length);
            assertArrayEquals(jcaAgree(alg, y, x), derive(CKM.ECDH1_DERIVE, new MechanismParams.Ecdh1Derive(CKD.NULL, null, raw), privateView(y)), alg);
        }
    }

    @Test
    void errorCodes() throws Exception {
        KeyPair a = ec("secp256r1");
        KeyView b = privateView(ec("secp256r1"));
        byte[] point = uncompressed((ECPublicKey) a.getPublic(), 32);
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(CKM.ECDH1_DERIVE, new MechanismParams.Ecdh1Derive(CKD.NULL, bytes(4, 1), point), b));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(CKM.ECDH1_DERIVE, new MechanismParams.Ecdh1Derive(CKD.SHA1_KDF_ASN1, null, point), b));
        byte[] offCurve = point.clone();
        offCurve[40] ^= 1;
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(CKM.ECDH1_DERIVE, new MechanismParams.Ecdh1Derive(CKD.NULL, null, offCurve), b));
        MechanismParams.Ecdh1Derive ok = new MechanismParams.Ecdh1Derive(CKD.NULL, null, point);
        assertRv(CKR.TEMPLATE_INCONSISTENT, () -> derive(CKM.ECDH1_DERIVE, ok, b, Attribute.of(CKA.VALUE_LEN, 33L)));
        assertRv(CKR.TEMPLATE_INCONSISTENT, () -> derive(CKM.ECDH1_DERIVE, ok, b, Attribute.of(CKA.KEY_TYPE, CKK.AES), Attribute.of(CKA.VALUE_LEN, 20L)));
        assertRv(CKR.TEMPLATE_INCOMPLETE, () -> derive(CKM.ECDH1_DERIVE, new MechanismParams.Ecdh1Derive(CKD.SHA256_KDF, null, point), b));
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> derive(CKM.ECDH1_DERIVE, ok, JcaKeys.RSA_PRIV));
        KeyView x = privateView(JcaKeys.generate("X25519", 0));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(CKM.ECDH1_DERIVE, new MechanismParams.Ecdh1Derive(CKD.NULL, null, new byte[32]), x));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> derive(CKM.ECDH1_DERIVE, new MechanismParams.Ecdh1Derive(CKD.NULL, null, new byte[31]), x));
    }
}
