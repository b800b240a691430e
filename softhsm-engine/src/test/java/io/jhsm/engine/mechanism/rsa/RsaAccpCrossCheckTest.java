package io.jhsm.engine.mechanism.rsa;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.jhsm.engine.mechanism.Accp;
import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.JcaKeys;
import io.jhsm.engine.mechanism.TestKeys;
import io.jhsm.engine.mechanism.digest.HashAlg;
import io.jhsm.pkcs11.CKG;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CKZ;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Signature;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.util.Arrays;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The ACCP-backed RSA operations against the portable Bouncy Castle engine and the JDK's SunRsaSign/SunJCE, on
 * random inputs: whatever JHSM_CRYPTO says, these always run ACCP (RsaFamilyTest runs the configured backend).
 */
class RsaAccpCrossCheckTest {
    private static final HashAlg[] SHA2 = {HashAlg.SHA1, HashAlg.SHA224, HashAlg.SHA256, HashAlg.SHA384, HashAlg.SHA512};
    private static final HashAlg[] ALL = {HashAlg.SHA1, HashAlg.SHA224, HashAlg.SHA256, HashAlg.SHA384, HashAlg.SHA512, HashAlg.SHA3_256};
    private static Optional<Provider> accp;

    @BeforeAll
    static void loadAccp() {
        accp = Optional.of(Accp.provider());
    }

    private static RsaKeys.Private accpPrivate() {
        RsaKeys.Private k = RsaKeys.privateKey(JcaKeys.rsaPrivate((RSAPrivateCrtKey) JcaKeys.RSA.getPrivate()), 2048, accp);
        assertNotNull(k.accp(), "a CRT key becomes an ACCP key");
        return k;
    }

    private static RsaKeys.Public accpPublic() {
        RsaKeys.Public k = RsaKeys.verifyingKey(JcaKeys.rsaPublic((RSAPublicKey) JcaKeys.RSA.getPublic()), accp);
        assertNotNull(k.accp());
        return k;
    }

    private static RsaKeys.Private bcPrivate() {
        return RsaKeys.privateKey(JcaKeys.rsaPrivate((RSAPrivateCrtKey) JcaKeys.RSA.getPrivate()), 2048, Optional.empty());
    }

    private static RsaKeys.Public bcPublic() {
        return RsaKeys.verifyingKey(JcaKeys.rsaPublic((RSAPublicKey) JcaKeys.RSA.getPublic()), Optional.empty());
    }


    private static Signature jdk(String alg) throws Exception {
        return Signature.getInstance(alg, "SunRsaSign");
    }

    @Test
    void pkcs1SignaturesOnAccpEqualBouncyCastlesAndTheJdks() {
        qt().withExamples(12).forAll(integers().between(0, 500), integers().between(0, ALL.length - 1)).checkAssert((len, h) -> {
            byte[] data = bytes(len, len * 31L + h);
            HashAlg hash = ALL[h];
            byte[] sig = RsaBackends.sign(new RsaPkcsSigner(RsaPkcsSigner.Kind.HASHED, hash, accpPrivate(), true), data);
            assertArrayEquals(RsaBackends.sign(new RsaPkcsSigner(RsaPkcsSigner.Kind.HASHED, hash, bcPrivate(), true), data), sig, "PKCS#1 v1.5 is deterministic");
            RsaBackends.verify(new RsaPkcsSigner(RsaPkcsSigner.Kind.HASHED, hash, accpPublic(), false), data, sig);
            if (hash != HashAlg.SHA3_256) {
                try {
                    Signature jdk = jdk(hash.name() + "withRSA");
                    jdk.initSign(JcaKeys.RSA.getPrivate());
                    jdk.update(data);
                    assertArrayEquals(jdk.sign(), sig);
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }
        });
    }

    /** CKM_RSA_PKCS signs whatever the caller gives (a DigestInfo, TLS 1.1's MD5+SHA-1), up to k-11 bytes. */
    @Test
    void rawPkcs1AndX509OnAccpEqualBouncyCastle() {
        qt().withExamples(12).forAll(integers().between(0, 245)).checkAssert(len -> {
            byte[] data = bytes(len, len);
            byte[] sig = RsaBackends.sign(new RsaPkcsSigner(RsaPkcsSigner.Kind.PKCS1, null, accpPrivate(), true), data);
            assertArrayEquals(RsaBackends.sign(new RsaPkcsSigner(RsaPkcsSigner.Kind.PKCS1, null, bcPrivate(), true), data), sig);
            RsaBackends.verify(new RsaPkcsSigner(RsaPkcsSigner.Kind.PKCS1, null, accpPublic(), false), data, sig);
            assertArrayEquals(RsaRecovery.recover(true, JcaKeys.RSA_PUB, sig), data);
            byte[] raw = RsaBackends.sign(new RsaPkcsSigner(RsaPkcsSigner.Kind.RAW, null, accpPrivate(), true), data);
            assertArrayEquals(RsaBackends.sign(new RsaPkcsSigner(RsaPkcsSigner.Kind.RAW, null, bcPrivate(), true), data), raw);
            RsaBackends.verify(new RsaPkcsSigner(RsaPkcsSigner.Kind.RAW, null, accpPublic(), false), data, raw);
            CipherOperation enc = new RsaCipher(RsaCipher.Padding.RAW, Mechanism.of(CKM.RSA_X_509), accpPublic(), true);
            byte[] ct = TestKeys.run(enc, data);
            assertArrayEquals(TestKeys.run(new RsaCipher(RsaCipher.Padding.RAW, Mechanism.of(CKM.RSA_X_509), bcPublic(), true), data), ct);
            byte[] pt = TestKeys.run(new RsaCipher(RsaCipher.Padding.RAW, Mechanism.of(CKM.RSA_X_509), accpPrivate(), false), ct);
            assertEquals(new BigInteger(1, data), new BigInteger(1, pt));
            assertEquals(256, pt.length);
        });
    }

    /** PKCS#11 lets the MGF1 hash differ from the message hash and the salt be any length that fits. */
    @Test
    void pssOnAccpInteroperatesWithBouncyCastleAndTheJdkForAnyMgfHashAndSalt() {
        qt().withExamples(15).forAll(integers().between(0, SHA2.length - 1), integers().between(0, SHA2.length - 1), integers().between(0, 100),
                integers().between(0, 300)).checkAssert((h, m, salt, len) -> {
            HashAlg hash = SHA2[h];
            HashAlg mgf = SHA2[m];
            byte[] data = bytes(len, len + 7L * salt);
            Mechanism mech = Mechanism.of(hashedPss(hash), new MechanismParams.Pss(hash.ckm, mgf1(mgf), salt));
            byte[] sig = RsaBackends.sign(RsaPssSigner.create(mech, hash, accpPrivate(), true), data);
            RsaBackends.verify(RsaPssSigner.create(mech, hash, bcPublic(), false), data, sig);
            byte[] bcSig = RsaBackends.sign(RsaPssSigner.create(mech, hash, bcPrivate(), true), data);
            RsaBackends.verify(RsaPssSigner.create(mech, hash, accpPublic(), false), data, bcSig);
            try {
                Signature jdk = jdk("RSASSA-PSS");
                jdk.setParameter(new PSSParameterSpec(jca(hash), "MGF1", new MGF1ParameterSpec(jca(mgf)), salt, 1));
                jdk.initVerify(JcaKeys.RSA.getPublic());
                jdk.update(data);
                assertTrue(jdk.verify(sig));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
            // CKM_RSA_PKCS_PSS over the precomputed hash: the same encoding.
            Mechanism raw = Mechanism.of(CKM.RSA_PKCS_PSS, mech.params());
            byte[] mHash = hashOf(hash, data);
            RsaBackends.verify(RsaPssSigner.create(raw, null, bcPublic(), false), mHash, RsaBackends.sign(RsaPssSigner.create(raw, null, accpPrivate(), true), mHash));
        });
    }

    @Test
    void oaepOnAccpInteroperatesWithSunJceForAnyHashMgfAndLabel() {
        qt().withExamples(15).forAll(integers().between(0, SHA2.length - 1), integers().between(0, SHA2.length - 1), integers().between(0, 40),
                longs().between(0, 1000)).checkAssert((h, m, labelLen, seed) -> {
            HashAlg hash = SHA2[h];
            HashAlg mgf = SHA2[m];
            byte[] label = labelLen == 0 ? null : bytes(labelLen, seed);
            byte[] msg = bytes((int) (seed % (256 - 2 * hash.length - 1)), seed);
            Mechanism mech = Mechanism.of(CKM.RSA_PKCS_OAEP, new MechanismParams.Oaep(hash.ckm, mgf1(mgf), CKZ.DATA_SPECIFIED, label));
            try {
                OAEPParameterSpec spec = new OAEPParameterSpec(jca(hash), "MGF1", new MGF1ParameterSpec(jca(mgf)),
                        label == null ? PSource.PSpecified.DEFAULT : new PSource.PSpecified(label));
                Cipher jdk = Cipher.getInstance("RSA/ECB/OAEPPadding", "SunJCE");
                jdk.init(Cipher.DECRYPT_MODE, JcaKeys.RSA.getPrivate(), spec);
                assertArrayEquals(msg, jdk.doFinal(TestKeys.run(new RsaCipher(RsaCipher.Padding.OAEP, mech, accpPublic(), true), msg)));
                jdk.init(Cipher.ENCRYPT_MODE, JcaKeys.RSA.getPublic(), spec);
                byte[] ct = jdk.doFinal(msg);
                assertArrayEquals(msg, TestKeys.run(new RsaCipher(RsaCipher.Padding.OAEP, mech, accpPrivate(), false), ct));
                ct[(int) (seed % 256)] ^= 1;
                assertRv(CKR.ENCRYPTED_DATA_INVALID, () -> TestKeys.run(new RsaCipher(RsaCipher.Padding.OAEP, mech, accpPrivate(), false), ct));
            } catch (java.security.GeneralSecurityException e) {
                throw new AssertionError(e);
            }
        });
    }

    @Test
    void pkcs1EncryptionOnAccpInteroperatesWithSunJce() throws Exception {
        byte[] msg = bytes(100, 9);
        Cipher jdk = Cipher.getInstance("RSA/ECB/PKCS1Padding", "SunJCE");
        jdk.init(Cipher.DECRYPT_MODE, JcaKeys.RSA.getPrivate());
        assertArrayEquals(msg, jdk.doFinal(TestKeys.run(new RsaCipher(RsaCipher.Padding.PKCS1, Mechanism.of(CKM.RSA_PKCS), accpPublic(), true), msg)));
        jdk.init(Cipher.ENCRYPT_MODE, JcaKeys.RSA.getPublic());
        assertArrayEquals(msg, TestKeys.run(new RsaCipher(RsaCipher.Padding.PKCS1, Mechanism.of(CKM.RSA_PKCS), accpPrivate(), false), jdk.doFinal(msg)));
    }

    /** The backend is invisible to PKCS#11: the same CK_RV as the portable engine on every bad input. */
    @Test
    void accpGivesTheSameErrorCodesAsThePortableEngine() {
        byte[] ff = new byte[256];
        Arrays.fill(ff, (byte) 0xff); // above the modulus
        byte[] data = bytes(20, 1);
        assertRv(CKR.SIGNATURE_INVALID, () -> RsaBackends.verify(new RsaPkcsSigner(RsaPkcsSigner.Kind.PKCS1, null, accpPublic(), false), data, ff));
        assertRv(CKR.SIGNATURE_INVALID, () -> RsaBackends.verify(new RsaPkcsSigner(RsaPkcsSigner.Kind.RAW, null, accpPublic(), false), data, ff));
        assertRv(CKR.SIGNATURE_INVALID, () -> RsaBackends.verify(new RsaPkcsSigner(RsaPkcsSigner.Kind.PKCS1, null, accpPublic(), false), data, bytes(256, 2)));
        assertRv(CKR.SIGNATURE_LEN_RANGE, () -> RsaBackends.verify(new RsaPkcsSigner(RsaPkcsSigner.Kind.PKCS1, null, accpPublic(), false), data, new byte[255]));
        Mechanism pss = Mechanism.of(CKM.SHA256_RSA_PKCS_PSS, new MechanismParams.Pss(CKM.SHA256, CKG.MGF1_SHA256, 32));
        assertRv(CKR.SIGNATURE_INVALID, () -> RsaBackends.verify(RsaPssSigner.create(pss, HashAlg.SHA256, accpPublic(), false), data, ff));
        assertRv(CKR.SIGNATURE_INVALID, () -> RsaBackends.verify(RsaPssSigner.create(pss, HashAlg.SHA256, accpPublic(), false), data, bytes(256, 3)));
        assertRv(CKR.DATA_LEN_RANGE, () -> RsaBackends.sign(new RsaPkcsSigner(RsaPkcsSigner.Kind.RAW, null, accpPrivate(), true), ff));
        assertRv(CKR.DATA_LEN_RANGE, () -> TestKeys.run(new RsaCipher(RsaCipher.Padding.RAW, Mechanism.of(CKM.RSA_X_509), accpPublic(), true), ff));
        assertRv(CKR.ENCRYPTED_DATA_INVALID, () -> TestKeys.run(new RsaCipher(RsaCipher.Padding.PKCS1, Mechanism.of(CKM.RSA_PKCS), accpPrivate(), false), bytes(256, 4)));
        assertRv(CKR.ENCRYPTED_DATA_INVALID, () -> TestKeys.run(new RsaCipher(RsaCipher.Padding.PKCS1, Mechanism.of(CKM.RSA_PKCS), accpPrivate(), false), ff));
        assertRv(CKR.ENCRYPTED_DATA_LEN_RANGE, () -> TestKeys.run(new RsaCipher(RsaCipher.Padding.PKCS1, Mechanism.of(CKM.RSA_PKCS), accpPrivate(), false), new byte[255]));
    }

    /** A private key without CRT values stays on the portable engine, which handles it as before. */
    @Test
    void privateKeyWithoutCrtValuesRunsOnThePortableEngine() {
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) JcaKeys.RSA.getPrivate();
        TestKeys.MapKeyView plain = new TestKeys.MapKeyView().with(io.jhsm.pkcs11.CKA.CLASS, io.jhsm.pkcs11.CKO.PRIVATE_KEY)
                .with(io.jhsm.pkcs11.CKA.KEY_TYPE, io.jhsm.pkcs11.CKK.RSA).with(io.jhsm.pkcs11.CKA.MODULUS, JcaKeys.u(k.getModulus()))
                .with(io.jhsm.pkcs11.CKA.PRIVATE_EXPONENT, JcaKeys.u(k.getPrivateExponent()));
        RsaKeys.Private p = RsaKeys.privateKey(plain, 2048, accp);
        assertNull(p.accp());
        byte[] data = bytes(30, 5);
        RsaBackends.verify(new RsaPkcsSigner(RsaPkcsSigner.Kind.PKCS1, null, accpPublic(), false), data,
                RsaBackends.sign(new RsaPkcsSigner(RsaPkcsSigner.Kind.PKCS1, null, p, true), data));
    }

    /**
     * A modulus of 8n+1 bits is the edge of every encoding: PSS's encoded message is a byte shorter than the
     * modulus, raw input must be padded to k bytes for AWS-LC. Sign, verify, encrypt and decrypt match BC's engine.
     */
    @Test
    void oddModulusSizesMatchThePortableEngine() {
        RSAPrivateCrtKey k = RsaKeyPairGen.generate(null, new RSAKeyGenParameterSpec(2049, RSAKeyGenParameterSpec.F4));
        TestKeys.MapKeyView privView = JcaKeys.rsaPrivate(k);
        TestKeys.MapKeyView pubView = new TestKeys.MapKeyView().with(io.jhsm.pkcs11.CKA.CLASS, io.jhsm.pkcs11.CKO.PUBLIC_KEY)
                .with(io.jhsm.pkcs11.CKA.KEY_TYPE, io.jhsm.pkcs11.CKK.RSA).with(io.jhsm.pkcs11.CKA.MODULUS, JcaKeys.u(k.getModulus()))
                .with(io.jhsm.pkcs11.CKA.PUBLIC_EXPONENT, JcaKeys.u(k.getPublicExponent()));
        RsaKeys.Private accpPriv = RsaKeys.privateKey(privView, 2048, accp);
        RsaKeys.Public accpPub = RsaKeys.verifyingKey(pubView, accp);
        RsaKeys.Private bcPriv = RsaKeys.privateKey(JcaKeys.rsaPrivate(k), 2048, Optional.empty());
        assertNotNull(accpPriv.accp());
        byte[] data = bytes(99, 11);
        Mechanism pss = Mechanism.of(CKM.SHA256_RSA_PKCS_PSS, new MechanismParams.Pss(CKM.SHA256, CKG.MGF1_SHA1, 20));
        RsaBackends.verify(RsaPssSigner.create(pss, HashAlg.SHA256, accpPub, false), data, RsaBackends.sign(RsaPssSigner.create(pss, HashAlg.SHA256, bcPriv, true), data));
        RsaBackends.verify(RsaPssSigner.create(pss, HashAlg.SHA256, accpPub, false), data, RsaBackends.sign(RsaPssSigner.create(pss, HashAlg.SHA256, accpPriv, true), data));
        assertArrayEquals(RsaBackends.sign(new RsaPkcsSigner(RsaPkcsSigner.Kind.HASHED, HashAlg.SHA256, bcPriv, true), data),
                RsaBackends.sign(new RsaPkcsSigner(RsaPkcsSigner.Kind.HASHED, HashAlg.SHA256, accpPriv, true), data));
        Mechanism oaep = Mechanism.of(CKM.RSA_PKCS_OAEP, new MechanismParams.Oaep(CKM.SHA256, CKG.MGF1_SHA256, CKZ.DATA_SPECIFIED, bytes(5, 12)));
        byte[] ct = TestKeys.run(new RsaCipher(RsaCipher.Padding.OAEP, oaep, accpPub, true), data);
        assertArrayEquals(data, TestKeys.run(new RsaCipher(RsaCipher.Padding.OAEP, oaep, bcPriv, false), ct));
        assertArrayEquals(data, TestKeys.run(new RsaCipher(RsaCipher.Padding.OAEP, oaep, accpPriv, false), ct));
        byte[] raw = bytes(257, 13);
        raw[0] = 0; // below a 2049-bit modulus
        assertArrayEquals(TestKeys.run(new RsaCipher(RsaCipher.Padding.RAW, Mechanism.of(CKM.RSA_X_509), bcPriv, false), raw),
                TestKeys.run(new RsaCipher(RsaCipher.Padding.RAW, Mechanism.of(CKM.RSA_X_509), accpPriv, false), raw));
    }

    /** ACCP makes the key asked for, exponent included; sizes and exponents AWS-LC refuses come from SunRsaSign. */
    @Test
    void keyGenerationHonoursSizeAndExponentOnEitherBackend() {
        BigInteger e = BigInteger.valueOf(65539);
        assertConsistent(RsaKeyPairGen.generate(accp.get(), new RSAKeyGenParameterSpec(2048, e)), 2048, e);
        assertConsistent(RsaKeyPairGen.generate(accp.get(), new RSAKeyGenParameterSpec(2056, e)), 2056, e); // AWS-LC would round up to 2176
        BigInteger big = BigInteger.ONE.shiftLeft(40).add(BigInteger.ONE);
        assertConsistent(RsaKeyPairGen.generate(accp.get(), new RSAKeyGenParameterSpec(2048, big)), 2048, big); // AWS-LC: BAD_E_VALUE
    }

    private static void assertConsistent(RSAPrivateCrtKey k, int bits, BigInteger e) {
        assertEquals(bits, k.getModulus().bitLength());
        assertEquals(e, k.getPublicExponent());
        assertEquals(k.getModulus(), k.getPrimeP().multiply(k.getPrimeQ()));
        BigInteger m = BigInteger.valueOf(12345);
        assertEquals(m, m.modPow(e, k.getModulus()).modPow(k.getPrivateExponent(), k.getModulus()));
    }

    private static long hashedPss(HashAlg hash) {
        return switch (hash) {
            case SHA1 -> CKM.SHA1_RSA_PKCS_PSS;
            case SHA224 -> CKM.SHA224_RSA_PKCS_PSS;
            case SHA256 -> CKM.SHA256_RSA_PKCS_PSS;
            case SHA384 -> CKM.SHA384_RSA_PKCS_PSS;
            default -> CKM.SHA512_RSA_PKCS_PSS;
        };
    }

    private static String jca(HashAlg hash) {
        return hash.name().replace("SHA", "SHA-");
    }

    private static long mgf1(HashAlg hash) {
        return switch (hash) {
            case SHA1 -> CKG.MGF1_SHA1;
            case SHA224 -> CKG.MGF1_SHA224;
            case SHA256 -> CKG.MGF1_SHA256;
            case SHA384 -> CKG.MGF1_SHA384;
            default -> CKG.MGF1_SHA512;
        };
    }

    private static byte[] hashOf(HashAlg hash, byte[] data) {
        try {
            return MessageDigest.getInstance(jca(hash)).digest(data);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
