package io.jhsm.engine.mechanism.ec;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.impl;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.engine.mechanism.GeneratedKeyPair;
import io.jhsm.engine.mechanism.JcaKeys;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.SignOperation;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.engine.mechanism.VerifyOperation;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKG;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.junit.jupiter.api.Test;

/** SHA-3 RSA/ECDSA mechanisms against SunRsaSign/SunEC, secp256k1 against openssl, and the RSA size policy. */
class HashVariantSignaturesTest {
    private static final byte[] DATA = bytes(777, 1);

    private static byte[] sign(long ckm, MechanismParams p, KeyView k) {
        SignOperation op = impl(ckm).sign(Mechanism.of(ckm, p), k);
        op.update(DATA);
        return op.sign();
    }

    @Test
    void rsaSha3SignaturesVerifyUnderSunRsaSign() throws Exception {
        String[] names = {"SHA3-224", "SHA3-256", "SHA3-384", "SHA3-512"};
        long[] pkcs = {CKM.SHA3_224_RSA_PKCS, CKM.SHA3_256_RSA_PKCS, CKM.SHA3_384_RSA_PKCS, CKM.SHA3_512_RSA_PKCS};
        long[] pss = {CKM.SHA3_224_RSA_PKCS_PSS, CKM.SHA3_256_RSA_PKCS_PSS, CKM.SHA3_384_RSA_PKCS_PSS, CKM.SHA3_512_RSA_PKCS_PSS};
        long[] hashes = {CKM.SHA3_224, CKM.SHA3_256, CKM.SHA3_384, CKM.SHA3_512};
        long[] mgfs = {CKG.MGF1_SHA3_224, CKG.MGF1_SHA3_256, CKG.MGF1_SHA3_384, CKG.MGF1_SHA3_512};
        for (int i = 0; i < 4; i++) {
            Signature s = Signature.getInstance(names[i] + "withRSA", "SunRsaSign");
            s.initVerify(JcaKeys.RSA.getPublic());
            s.update(DATA);
            assertTrue(s.verify(sign(pkcs[i], null, JcaKeys.RSA_PRIV)), names[i]);
            int salt = Integer.parseInt(names[i].substring(5)) / 8;
            Signature p = Signature.getInstance("RSASSA-PSS", "SunRsaSign");
            p.setParameter(new PSSParameterSpec(names[i], "MGF1", new MGF1ParameterSpec(names[i]), salt, 1));
            p.initVerify(JcaKeys.RSA.getPublic());
            p.update(DATA);
            assertTrue(p.verify(sign(pss[i], new MechanismParams.Pss(hashes[i], mgfs[i], salt), JcaKeys.RSA_PRIV)), names[i] + " PSS");
        }
    }

    @Test
    void ecdsaSha3SignaturesVerifyUnderSunEc() throws Exception {
        KeyPair kp = EcdhFamilyTest.ec("secp384r1");
        KeyView priv = EcdhFamilyTest.privateView(kp);
        long[] mechs = {CKM.ECDSA_SHA3_224, CKM.ECDSA_SHA3_256, CKM.ECDSA_SHA3_384, CKM.ECDSA_SHA3_512};
        String[] names = {"SHA3-224", "SHA3-256", "SHA3-384", "SHA3-512"};
        for (int i = 0; i < 4; i++) {
            Signature s = Signature.getInstance(names[i] + "withECDSAinP1363Format", "SunEC");
            s.initVerify(kp.getPublic());
            s.update(DATA);
            assertTrue(s.verify(sign(mechs[i], null, priv)), names[i]);
        }
    }

    @Test
    void secp256k1SignatureVerifiesUnderOpenssl() throws Exception {
        GeneratedKeyPair kp = impl(CKM.EC_KEY_PAIR_GEN).generateKeyPair(Mechanism.of(CKM.EC_KEY_PAIR_GEN),
                new TemplateView(List.of(Attribute.of(CKA.EC_PARAMS, EcCurves.K256.encodedOid()))), new TemplateView(List.of()));
        KeyView priv = TestKeys.key(CKO.PRIVATE_KEY, CKK.EC, kp.privateKey());
        KeyView pub = TestKeys.key(CKO.PUBLIC_KEY, CKK.EC, kp.publicKey());
        byte[] sig = sign(CKM.ECDSA_SHA256, null, priv);
        VerifyOperation v = impl(CKM.ECDSA_SHA256).verify(Mechanism.of(CKM.ECDSA_SHA256), pub);
        v.update(DATA);
        v.verify(sig);
        byte[] der = new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
            new ASN1Integer(new BigInteger(1, Arrays.copyOf(sig, 32))), new ASN1Integer(new BigInteger(1, Arrays.copyOfRange(sig, 32, 64)))}).getEncoded();
        byte[] point = EcKeys.decodePoint(EcCurves.K256, pub.attribute(CKA.EC_POINT)).getEncoded(false);
        byte[] spki = new SubjectPublicKeyInfo(new AlgorithmIdentifier(X9ObjectIdentifiers.id_ecPublicKey, EcCurves.K256.oid()), point).getEncoded();
        Path dir = Files.createTempDirectory("k256");
        Files.write(dir.resolve("data"), DATA);
        Files.write(dir.resolve("sig"), der);
        Files.writeString(dir.resolve("pub.pem"), "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder().encodeToString(spki) + "\n-----END PUBLIC KEY-----\n");
        Process proc = new ProcessBuilder("openssl", "dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig", "data")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(proc.getInputStream().readAllBytes());
        assertEquals(0, proc.waitFor(), out);
        assertTrue(out.contains("Verified OK"), out);
    }

    @Test
    void rsa1024VerifiesLegacySignaturesButDoesNothingElse() throws Exception {
        KeyPair legacy = JcaKeys.generate("RSA", 1024);
        KeyView pub = JcaKeys.rsaPublic((RSAPublicKey) legacy.getPublic());
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(legacy.getPrivate());
        s.update(DATA);
        byte[] sig = s.sign();
        VerifyOperation v = impl(CKM.SHA256_RSA_PKCS).verify(Mechanism.of(CKM.SHA256_RSA_PKCS), pub);
        v.update(DATA);
        v.verify(sig);
        assertRv(CKR.KEY_SIZE_RANGE, () -> impl(CKM.RSA_PKCS).encrypt(Mechanism.of(CKM.RSA_PKCS), pub));
        assertRv(CKR.WRAPPING_KEY_SIZE_RANGE, () -> impl(CKM.RSA_PKCS).wrap(Mechanism.of(CKM.RSA_PKCS), pub, bytes(16, 1)));
        KeyView priv = JcaKeys.rsaPrivate((RSAPrivateCrtKey) legacy.getPrivate());
        assertRv(CKR.KEY_SIZE_RANGE, () -> impl(CKM.SHA256_RSA_PKCS).sign(Mechanism.of(CKM.SHA256_RSA_PKCS), priv));
        assertRv(CKR.KEY_SIZE_RANGE, () -> impl(CKM.RSA_PKCS_KEY_PAIR_GEN).generateKeyPair(Mechanism.of(CKM.RSA_PKCS_KEY_PAIR_GEN),
                new TemplateView(List.of(Attribute.of(CKA.MODULUS_BITS, 8200L))), new TemplateView(List.of())));
    }
}
