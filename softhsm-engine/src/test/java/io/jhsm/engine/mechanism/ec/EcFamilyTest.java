package io.jhsm.engine.mechanism.ec;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.impl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.mechanism.GeneratedKeyPair;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERPrintableString;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.junit.jupiter.api.Test;

/** Our ECDSA runs on Bouncy Castle, so signatures are checked with SunEC and, once, with openssl. */
class EcFamilyTest {

    record Pair(KeyView pub, KeyView priv, EcCurves.Curve curve, String jcaName) {}

    private static Pair generate(EcCurves.Curve curve, String jcaName) throws Exception {
        GeneratedKeyPair kp = impl(CKM.EC_KEY_PAIR_GEN).generateKeyPair(Mechanism.of(CKM.EC_KEY_PAIR_GEN),
                new TemplateView(List.of(Attribute.of(CKA.EC_PARAMS, curve.oid().getEncoded()))), new TemplateView(List.of()));
        return new Pair(TestKeys.key(CKO.PUBLIC_KEY, CKK.EC, kp.publicKey()), TestKeys.key(CKO.PRIVATE_KEY, CKK.EC, kp.privateKey()), curve, jcaName);
    }

    private static PublicKey jcaPublic(Pair p) throws Exception {
        org.bouncycastle.math.ec.ECPoint q = EcKeys.decodePoint(p.curve(), p.pub().attribute(CKA.EC_POINT));
        AlgorithmParameters ap = AlgorithmParameters.getInstance("EC", "SunEC");
        ap.init(new ECGenParameterSpec(p.jcaName()));
        ECPublicKeySpec spec = new ECPublicKeySpec(new ECPoint(q.getAffineXCoord().toBigInteger(), q.getAffineYCoord().toBigInteger()),
                ap.getParameterSpec(ECParameterSpec.class));
        return KeyFactory.getInstance("EC", "SunEC").generatePublic(spec);
    }

    private static byte[] sign(long ckm, KeyView key, byte[] data) {
        SignOperation op = impl(ckm).sign(Mechanism.of(ckm), key);
        op.update(data);
        return op.sign();
    }

    private static void verify(long ckm, KeyView key, byte[] data, byte[] sig) {
        VerifyOperation op = impl(ckm).verify(Mechanism.of(ckm), key);
        op.update(data);
        op.verify(sig);
    }

    @Test
    void ecdsaSignatureVerifiesUnderSunEcOnAllCurves() throws Exception {
        Object[][] cases = {{EcCurves.P256, "secp256r1", CKM.ECDSA_SHA256, "SHA256"}, {EcCurves.P384, "secp384r1", CKM.ECDSA_SHA384, "SHA384"},
            {EcCurves.P521, "secp521r1", CKM.ECDSA_SHA512, "SHA512"}};
        for (Object[] c : cases) {
            Pair p = generate((EcCurves.Curve) c[0], (String) c[1]);
            byte[] data = bytes(123, 1);
            byte[] sig = sign((Long) c[2], p.priv(), data);
            assertEquals(2 * p.curve().orderBytes(), sig.length);
            Signature jca = Signature.getInstance(c[3] + "withECDSAinP1363Format", "SunEC");
            jca.initVerify(jcaPublic(p));
            jca.update(data);
            assertTrue(jca.verify(sig), (String) c[1]);
        }
    }

    /** SunEC's NONEwithECDSA truncates an over-long hash like FIPS 186 says; ours must agree. */
    @Test
    void rawEcdsaTruncatesLongInputLikeSunEc() throws Exception {
        Pair p = generate(EcCurves.P256, "secp256r1");
        byte[] hash = bytes(64, 2);
        byte[] sig = sign(CKM.ECDSA, p.priv(), hash);
        Signature jca = Signature.getInstance("NONEwithECDSAinP1363Format", "SunEC");
        jca.initVerify(jcaPublic(p));
        jca.update(hash);
        assertTrue(jca.verify(sig));
        verify(CKM.ECDSA, p.pub(), Arrays.copyOf(hash, 32), sig);
    }

    @Test
    void ecdsaVerifyDistinguishesLengthFromValue() throws Exception {
        Pair p = generate(EcCurves.P384, "secp384r1");
        byte[] data = bytes(10, 3);
        byte[] sig = sign(CKM.ECDSA_SHA1, p.priv(), data);
        verify(CKM.ECDSA_SHA1, p.pub(), data, sig);
        assertRv(CKR.SIGNATURE_LEN_RANGE, () -> verify(CKM.ECDSA_SHA1, p.pub(), data, Arrays.copyOf(sig, 95)));
        sig[5] ^= 1;
        assertRv(CKR.SIGNATURE_INVALID, () -> verify(CKM.ECDSA_SHA1, p.pub(), data, sig));
        assertRv(CKR.SIGNATURE_INVALID, () -> verify(CKM.ECDSA_SHA1, p.pub(), data, new byte[96]));
    }

    @Test
    void verifyKeyMayCarryRawPointAndPrintableCurveName() throws Exception {
        Pair p = generate(EcCurves.P256, "secp256r1");
        byte[] raw = EcKeys.decodePoint(EcCurves.P256, p.pub().attribute(CKA.EC_POINT)).getEncoded(false);
        KeyView rawKey = new TestKeys.MapKeyView().with(CKA.CLASS, CKO.PUBLIC_KEY).with(CKA.KEY_TYPE, CKK.EC)
                .with(CKA.EC_PARAMS, new DERPrintableString("prime256v1").getEncoded()).with(CKA.EC_POINT, raw);
        byte[] data = bytes(10, 4);
        verify(CKM.ECDSA_SHA256, rawKey, data, sign(CKM.ECDSA_SHA256, p.priv(), data));
    }

    @Test
    void keyPairGenRejectsUnsupportedCurveAndGarbage() throws Exception {
        MechanismImpl gen = impl(CKM.EC_KEY_PAIR_GEN);
        Mechanism m = Mechanism.of(CKM.EC_KEY_PAIR_GEN);
        TemplateView none = new TemplateView(List.of());
        assertRv(CKR.CURVE_NOT_SUPPORTED, () -> gen.generateKeyPair(m, new TemplateView(List.of(Attribute.of(CKA.EC_PARAMS, SECObjectIdentifiers.secp224r1.getEncoded()))), none));
        assertRv(CKR.DOMAIN_PARAMS_INVALID, () -> gen.generateKeyPair(m, new TemplateView(List.of(Attribute.of(CKA.EC_PARAMS, new byte[] {1, 2, 3}))), none));
        assertRv(CKR.TEMPLATE_INCOMPLETE, () -> gen.generateKeyPair(m, none, none));
    }

    @Test
    void keyPairGenEncodesPointAsDerOctetString() throws Exception {
        Pair p = generate(EcCurves.P521, "secp521r1");
        byte[] point = p.pub().attribute(CKA.EC_POINT);
        assertEquals(0x04, point[0]);
        assertEquals(3 + 133, point.length); // 04 81 85 || 04 X Y
        assertEquals(0x04, point[3]);
    }

    /** One check against a non-Java implementation: openssl verifies our P-256 signature. */
    @Test
    void ecdsaSignatureVerifiesUnderOpenssl() throws Exception {
        Pair p = generate(EcCurves.P256, "secp256r1");
        byte[] data = bytes(500, 5);
        byte[] sig = sign(CKM.ECDSA_SHA256, p.priv(), data);
        byte[] der = new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
            new ASN1Integer(new BigInteger(1, Arrays.copyOf(sig, 32))), new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)))}).getEncoded();
        Path dir = Files.createTempDirectory("ecdsa");
        Files.write(dir.resolve("data"), data);
        Files.write(dir.resolve("sig"), der);
        Files.writeString(dir.resolve("pub.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(jcaPublic(p).getEncoded()) + "\n-----END PUBLIC KEY-----\n");
        Process proc = new ProcessBuilder("openssl", "dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig", "data")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes());
        assertEquals(0, proc.waitFor(), out);
        assertTrue(out.contains("Verified OK"), out);
    }
}
