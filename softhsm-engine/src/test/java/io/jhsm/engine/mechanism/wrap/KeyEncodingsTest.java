package io.jhsm.engine.mechanism.wrap;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.jhsm.engine.mechanism.JcaKeys;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.engine.mechanism.ec.EcCurves;
import io.jhsm.engine.mechanism.edwards.ModernCurves;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Ulong;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;

/** PKCS#8 through BC ASN.1, checked by parsing with the JDK's KeyFactory and by reading JDK-made encodings. */
class KeyEncodingsTest {

    private static Map<Long, byte[]> map(List<Attribute> attrs) {
        Map<Long, byte[]> m = new HashMap<>();
        attrs.forEach(a -> m.put(a.type(), a.value()));
        return m;
    }

    private static TestKeys.MapKeyView view(long keyType, List<Attribute> attrs) {
        return TestKeys.key(CKO.PRIVATE_KEY, keyType, attrs);
    }

    @Test
    void rsaRoundTripsThroughTheJdk() throws Exception {
        byte[] der = KeyEncodings.toPkcs8(JcaKeys.RSA_PRIV);
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        assertEquals(((RSAPrivateCrtKey) JcaKeys.RSA.getPrivate()).getCrtCoefficient(), k.getCrtCoefficient());
        Map<Long, byte[]> back = map(KeyEncodings.fromPkcs8(JcaKeys.RSA.getPrivate().getEncoded()));
        assertEquals(CKK.RSA, Ulong.decode(back.get(CKA.KEY_TYPE)));
        for (long t : new long[] {CKA.MODULUS, CKA.PUBLIC_EXPONENT, CKA.PRIVATE_EXPONENT, CKA.PRIME_1, CKA.PRIME_2, CKA.EXPONENT_1, CKA.EXPONENT_2, CKA.COEFFICIENT}) {
            assertArrayEquals(JcaKeys.RSA_PRIV.attribute(t), back.get(t), CKA.name(t));
        }
    }

    @Test
    void rsaWithoutCrtIsNotWrappable() {
        TestKeys.MapKeyView k = new TestKeys.MapKeyView().with(CKA.KEY_TYPE, CKK.RSA).with(CKA.MODULUS, JcaKeys.RSA_PRIV.attribute(CKA.MODULUS))
                .with(CKA.PRIVATE_EXPONENT, JcaKeys.RSA_PRIV.attribute(CKA.PRIVATE_EXPONENT));
        assertRv(CKR.KEY_NOT_WRAPPABLE, () -> KeyEncodings.toPkcs8(k));
        assertRv(CKR.KEY_NOT_WRAPPABLE, () -> KeyEncodings.toPkcs8(TestKeys.secret(CKK.AES, bytes(16, 1))));
    }

    @Test
    void ecRoundTripsThroughTheJdk() throws Exception {
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair kp = g.generateKeyPair();
        List<Attribute> attrs = KeyEncodings.fromPkcs8(kp.getPrivate().getEncoded());
        Map<Long, byte[]> m = map(attrs);
        assertArrayEquals(EcCurves.P384.encodedOid(), m.get(CKA.EC_PARAMS));
        assertEquals(((ECPrivateKey) kp.getPrivate()).getS(), new BigInteger(1, m.get(CKA.VALUE)));
        byte[] der = KeyEncodings.toPkcs8(view(CKK.EC, attrs));
        ECPrivateKey back = (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
        assertEquals(((ECPrivateKey) kp.getPrivate()).getS(), back.getS());
    }

    @Test
    void edwardsAndMontgomeryRoundTripThroughTheJdk() throws Exception {
        String[][] cases = {{"Ed25519", "ED25519"}, {"Ed448", "ED448"}, {"X25519", "X25519"}, {"X448", "X448"}};
        for (String[] c : cases) {
            KeyPair kp = JcaKeys.generate(c[0], 0);
            ModernCurves curve = ModernCurves.valueOf(c[1]);
            List<Attribute> attrs = KeyEncodings.fromPkcs8(kp.getPrivate().getEncoded());
            Map<Long, byte[]> m = map(attrs);
            assertEquals(curve.keyType, Ulong.decode(m.get(CKA.KEY_TYPE)));
            assertArrayEquals(curve.encodedOid(), m.get(CKA.EC_PARAMS));
            assertEquals(curve.keyBytes, m.get(CKA.VALUE).length);
            byte[] der = KeyEncodings.toPkcs8(view(curve.keyType, attrs));
            assertSamePrivate(kp.getPrivate(), KeyFactory.getInstance(c[0]).generatePrivate(new PKCS8EncodedKeySpec(der)), c[0]);
        }
    }

    private static void assertSamePrivate(java.security.PrivateKey expected, java.security.PrivateKey actual, String what) {
        // JDK EdEC/XEC keys compare by encoding; ours carries no optional public key, so compare the private bytes.
        org.junit.jupiter.api.Assertions.assertArrayEquals(
                PrivateKeyInfo.getInstance(expected.getEncoded()).getPrivateKey().getOctets(),
                PrivateKeyInfo.getInstance(actual.getEncoded()).getPrivateKey().getOctets(), what);
    }

    @Test
    void garbageAndForeignKeysAreWrappedKeyInvalid() throws Exception {
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> KeyEncodings.fromPkcs8(bytes(40, 1)));
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> KeyEncodings.fromPkcs8(new byte[0]));
        byte[] good = JcaKeys.RSA.getPrivate().getEncoded();
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> KeyEncodings.fromPkcs8(java.util.Arrays.copyOf(good, good.length + 1)));
        byte[] dsa = JcaKeys.generate("DSA", 2048).getPrivate().getEncoded();
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> KeyEncodings.fromPkcs8(dsa));
        byte[] notRsa = new PrivateKeyInfo(new AlgorithmIdentifier(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.rsaEncryption, DERNull.INSTANCE),
                new org.bouncycastle.asn1.DEROctetString(new byte[3])).getEncoded();
        assertRv(CKR.WRAPPED_KEY_INVALID, () -> KeyEncodings.fromPkcs8(notRsa));
        byte[] p224 = new PrivateKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, SECObjectIdentifiers.secp224r1),
                new org.bouncycastle.asn1.sec.ECPrivateKey(224, BigInteger.TEN)).getEncoded();
        assertRv(CKR.CURVE_NOT_SUPPORTED, () -> KeyEncodings.fromPkcs8(p224));
    }
}
