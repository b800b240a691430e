package io.jhsm.engine.mechanism.rsa;

import static io.jhsm.engine.mechanism.TestKeys.assertRv;
import static io.jhsm.engine.mechanism.TestKeys.bytes;
import static io.jhsm.engine.mechanism.TestKeys.impl;
import static io.jhsm.engine.mechanism.TestKeys.run;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.jhsm.engine.mechanism.GeneratedKeyPair;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.MechanismImpl;
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
import io.jhsm.pkcs11.CKZ;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPrivateCrtKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.spec.OAEPParameterSpec;
import javax.crypto.spec.PSource;
import org.junit.jupiter.api.Test;

/** Our RSA runs on Bouncy Castle, so every check here is against SunRsaSign/SunJCE. */
class RsaFamilyTest {
    private static final GeneratedKeyPair PAIR = impl(CKM.RSA_PKCS_KEY_PAIR_GEN).generateKeyPair(Mechanism.of(CKM.RSA_PKCS_KEY_PAIR_GEN),
            new TemplateView(List.of(Attribute.of(CKA.MODULUS_BITS, 2048L))), new TemplateView(List.of()));
    private static final KeyView PUB = TestKeys.key(CKO.PUBLIC_KEY, CKK.RSA, PAIR.publicKey());
    private static final KeyView PRIV = TestKeys.key(CKO.PRIVATE_KEY, CKK.RSA, PAIR.privateKey());
    private static final PublicKey JCA_PUB;
    private static final PrivateKey JCA_PRIV;

    static {
        try {
            KeyFactory kf = KeyFactory.getInstance("RSA", "SunRsaSign");
            JCA_PUB = kf.generatePublic(new RSAPublicKeySpec(big(PUB, CKA.MODULUS), big(PUB, CKA.PUBLIC_EXPONENT)));
            JCA_PRIV = kf.generatePrivate(new RSAPrivateCrtKeySpec(big(PRIV, CKA.MODULUS), big(PRIV, CKA.PUBLIC_EXPONENT),
                    big(PRIV, CKA.PRIVATE_EXPONENT), big(PRIV, CKA.PRIME_1), big(PRIV, CKA.PRIME_2), big(PRIV, CKA.EXPONENT_1),
                    big(PRIV, CKA.EXPONENT_2), big(PRIV, CKA.COEFFICIENT)));
        } catch (Exception e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static BigInteger big(KeyView k, long type) {
        return new BigInteger(1, k.attribute(type));
    }

    private static byte[] sign(long ckm, MechanismParams p, byte[]... parts) {
        SignOperation op = impl(ckm).sign(Mechanism.of(ckm, p), PRIV);
        for (byte[] part : parts) {
            op.update(part);
        }
        return op.sign();
    }

    private static void verify(long ckm, MechanismParams p, byte[] data, byte[] sig) {
        VerifyOperation op = impl(ckm).verify(Mechanism.of(ckm, p), PUB);
        op.update(data);
        op.verify(sig);
    }

    @Test
    void keyPairGenProducesConsistentUnpaddedComponents() {
        BigInteger n = big(PRIV, CKA.MODULUS);
        BigInteger p = big(PRIV, CKA.PRIME_1);
        BigInteger q = big(PRIV, CKA.PRIME_2);
        assertEquals(2048, n.bitLength());
        assertEquals(n, p.multiply(q));
        assertEquals(BigInteger.valueOf(65537), big(PUB, CKA.PUBLIC_EXPONENT));
        assertArrayEquals(PUB.attribute(CKA.MODULUS), PRIV.attribute(CKA.MODULUS));
        for (long t : new long[] {CKA.MODULUS, CKA.PUBLIC_EXPONENT, CKA.PRIVATE_EXPONENT, CKA.PRIME_1, CKA.PRIME_2, CKA.EXPONENT_1, CKA.EXPONENT_2, CKA.COEFFICIENT}) {
            assertNotEquals(0, PRIV.attribute(t)[0], "leading zero in " + CKA.name(t));
        }
    }

    @Test
    void keyPairGenRejectsSizesOutsideRangeAndEvenExponents() {
        MechanismImpl gen = impl(CKM.RSA_PKCS_KEY_PAIR_GEN);
        Mechanism m = Mechanism.of(CKM.RSA_PKCS_KEY_PAIR_GEN);
        TemplateView none = new TemplateView(List.of());
        assertRv(CKR.KEY_SIZE_RANGE, () -> gen.generateKeyPair(m, new TemplateView(List.of(Attribute.of(CKA.MODULUS_BITS, 1024L))), none));
        assertRv(CKR.TEMPLATE_INCOMPLETE, () -> gen.generateKeyPair(m, none, none));
        assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> gen.generateKeyPair(m, new TemplateView(List.of(Attribute.of(CKA.MODULUS_BITS, 2048L),
                Attribute.of(CKA.PUBLIC_EXPONENT, new byte[] {1, 0, 0}))), none));
    }

    @Test
    void sha256RsaPkcsSignatureVerifiesUnderSunRsaSignAndBack() throws Exception {
        byte[] data = bytes(1000, 1);
        byte[] sig = sign(CKM.SHA256_RSA_PKCS, null, Arrays.copyOf(data, 300), Arrays.copyOfRange(data, 300, 1000));
        Signature jca = Signature.getInstance("SHA256withRSA", "SunRsaSign");
        jca.initVerify(JCA_PUB);
        jca.update(data);
        assertTrue(jca.verify(sig));
        jca.initSign(JCA_PRIV);
        jca.update(data);
        verify(CKM.SHA256_RSA_PKCS, null, data, jca.sign());
    }

    /** PKCS#1 v1.5 is deterministic, so raw CKM_RSA_PKCS over a DigestInfo must equal SHA1withRSA byte for byte. */
    @Test
    void rawRsaPkcsOverDigestInfoEqualsJcaSignature() throws Exception {
        byte[] data = bytes(50, 2);
        byte[] prefix = TestKeys.hex("3021300906052b0e03021a05000414");
        byte[] sig = sign(CKM.RSA_PKCS, null, TestKeys.concat(prefix, MessageDigest.getInstance("SHA-1").digest(data)));
        Signature jca = Signature.getInstance("SHA1withRSA", "SunRsaSign");
        jca.initSign(JCA_PRIV);
        jca.update(data);
        assertArrayEquals(jca.sign(), sig);
        assertArrayEquals(sig, sign(CKM.SHA1_RSA_PKCS, null, data));
    }

    @Test
    void rsaPkcsSignRejectsDataLongerThanModulusMinus11() {
        assertRv(CKR.DATA_LEN_RANGE, () -> sign(CKM.RSA_PKCS, null, new byte[256 - 10]));
    }

    @Test
    void verifyDistinguishesSignatureLengthFromSignatureValue() {
        byte[] data = bytes(10, 3);
        byte[] sig = sign(CKM.SHA256_RSA_PKCS, null, data);
        assertRv(CKR.SIGNATURE_LEN_RANGE, () -> verify(CKM.SHA256_RSA_PKCS, null, data, Arrays.copyOf(sig, 255)));
        sig[100] ^= 1;
        assertRv(CKR.SIGNATURE_INVALID, () -> verify(CKM.SHA256_RSA_PKCS, null, data, sig));
        byte[] ff = new byte[256];
        Arrays.fill(ff, (byte) 0xff); // above the modulus
        assertRv(CKR.SIGNATURE_INVALID, () -> verify(CKM.RSA_PKCS, null, data, ff));
    }

    @Test
    void pssSignatureVerifiesUnderSunRsaSign() throws Exception {
        assertPssInteroperates(CKM.SHA384_RSA_PKCS_PSS, new MechanismParams.Pss(CKM.SHA384, CKG.MGF1_SHA384, 48),
                new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1));
    }

    /** PKCS#11 sets no rule on the PSS MGF1 hash and RFC 8017 lets it differ from the message hash. */
    @Test
    void pssWithAnotherMgf1HashInteroperatesWithSunRsaSign() throws Exception {
        assertPssInteroperates(CKM.SHA256_RSA_PKCS_PSS, new MechanismParams.Pss(CKM.SHA256, CKG.MGF1_SHA512, 32),
                new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA512, 32, 1));
    }

    /** The hashing mechanism and raw CKM_RSA_PKCS_PSS over the precomputed hash both sign what SunRsaSign verifies, and back. */
    private static void assertPssInteroperates(long hashed, MechanismParams.Pss p, PSSParameterSpec spec) throws Exception {
        byte[] data = bytes(77, 4);
        Signature jca = Signature.getInstance("RSASSA-PSS", "SunRsaSign");
        jca.setParameter(spec);
        jca.initVerify(JCA_PUB);
        jca.update(data);
        assertTrue(jca.verify(sign(hashed, p, data)));
        jca.initVerify(JCA_PUB);
        jca.update(data);
        assertTrue(jca.verify(sign(CKM.RSA_PKCS_PSS, p, MessageDigest.getInstance(spec.getDigestAlgorithm()).digest(data))));
        jca.initSign(JCA_PRIV);
        jca.update(data);
        verify(hashed, p, data, jca.sign());
    }

    @Test
    void pssRejectsAnotherHashThanTheMechanismsUnknownMgfAndOversizedSalt() {
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> sign(CKM.SHA256_RSA_PKCS_PSS, new MechanismParams.Pss(CKM.SHA256, 0x99, 32), new byte[1]));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> sign(CKM.SHA256_RSA_PKCS_PSS, new MechanismParams.Pss(CKM.SHA384, CKG.MGF1_SHA384, 32), new byte[1]));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> sign(CKM.RSA_PKCS_PSS, new MechanismParams.Pss(CKM.SHA256, CKG.MGF1_SHA256, 256 - 32 - 1), new byte[32]));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> sign(CKM.RSA_PKCS_PSS, null, new byte[32]));
        assertRv(CKR.DATA_LEN_RANGE, () -> sign(CKM.RSA_PKCS_PSS, new MechanismParams.Pss(CKM.SHA256, CKG.MGF1_SHA256, 32), new byte[31]));
    }

    @Test
    void oaepWithLabelInteroperatesWithSunJce() throws Exception {
        byte[] label = "label".getBytes();
        assertOaepInteroperates(new MechanismParams.Oaep(CKM.SHA256, CKG.MGF1_SHA256, CKZ.DATA_SPECIFIED, label),
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, new PSource.PSpecified(label)), 256 - 2 * 32 - 2);
    }

    /** RSA-OAEP with the MGF1 hash other than the label hash (RFC 8017 §7.1; PKCS#11 does not forbid it). */
    @Test
    void oaepWithAnotherMgf1HashInteroperatesWithSunJce() throws Exception {
        assertOaepInteroperates(new MechanismParams.Oaep(CKM.SHA256, CKG.MGF1_SHA1, CKZ.DATA_SPECIFIED, null),
                new OAEPParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA1, PSource.PSpecified.DEFAULT), 100);
    }

    private static void assertOaepInteroperates(MechanismParams.Oaep p, OAEPParameterSpec spec, int length) throws Exception {
        byte[] msg = bytes(length, 5);
        byte[] ct = run(impl(CKM.RSA_PKCS_OAEP).encrypt(Mechanism.of(CKM.RSA_PKCS_OAEP, p), PUB), msg);
        Cipher jca = Cipher.getInstance("RSA/ECB/OAEPPadding", "SunJCE");
        jca.init(Cipher.DECRYPT_MODE, JCA_PRIV, spec);
        assertArrayEquals(msg, jca.doFinal(ct));
        jca.init(Cipher.ENCRYPT_MODE, JCA_PUB, spec);
        assertArrayEquals(msg, run(impl(CKM.RSA_PKCS_OAEP).decrypt(Mechanism.of(CKM.RSA_PKCS_OAEP, p), PRIV), jca.doFinal(msg)));
    }

    @Test
    void oaepErrorCodes() {
        MechanismParams.Oaep p = new MechanismParams.Oaep(CKM.SHA_1, CKG.MGF1_SHA1, CKZ.DATA_SPECIFIED, null);
        assertRv(CKR.DATA_LEN_RANGE, () -> run(impl(CKM.RSA_PKCS_OAEP).encrypt(Mechanism.of(CKM.RSA_PKCS_OAEP, p), PUB), new byte[256 - 2 * 20 - 1]));
        assertRv(CKR.ENCRYPTED_DATA_LEN_RANGE, () -> run(impl(CKM.RSA_PKCS_OAEP).decrypt(Mechanism.of(CKM.RSA_PKCS_OAEP, p), PRIV), new byte[255]));
        assertRv(CKR.ENCRYPTED_DATA_INVALID, () -> run(impl(CKM.RSA_PKCS_OAEP).decrypt(Mechanism.of(CKM.RSA_PKCS_OAEP, p), PRIV), bytes(256, 6)));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> impl(CKM.RSA_PKCS_OAEP).encrypt(Mechanism.of(CKM.RSA_PKCS_OAEP,
                new MechanismParams.Oaep(CKM.SHA256, 0x99, CKZ.DATA_SPECIFIED, null)), PUB));
    }

    @Test
    void rsaPkcsEncryptionInteroperatesWithSunJce() throws Exception {
        byte[] msg = bytes(245, 7);
        byte[] ct = run(impl(CKM.RSA_PKCS).encrypt(Mechanism.of(CKM.RSA_PKCS), PUB), msg);
        Cipher jca = Cipher.getInstance("RSA/ECB/PKCS1Padding", "SunJCE");
        jca.init(Cipher.DECRYPT_MODE, JCA_PRIV);
        assertArrayEquals(msg, jca.doFinal(ct));
        jca.init(Cipher.ENCRYPT_MODE, JCA_PUB);
        assertArrayEquals(msg, run(impl(CKM.RSA_PKCS).decrypt(Mechanism.of(CKM.RSA_PKCS), PRIV), jca.doFinal(msg)));
        assertRv(CKR.DATA_LEN_RANGE, () -> run(impl(CKM.RSA_PKCS).encrypt(Mechanism.of(CKM.RSA_PKCS), PUB), new byte[246]));
        assertRv(CKR.ENCRYPTED_DATA_INVALID, () -> run(impl(CKM.RSA_PKCS).decrypt(Mechanism.of(CKM.RSA_PKCS), PRIV), bytes(256, 8)));
    }

    /** Raw RSA is m^e mod n on a full block; output keeps its leading zeros. */
    @Test
    void rawX509MatchesModPowAndKeepsFullBlocks() {
        BigInteger n = big(PUB, CKA.MODULUS);
        byte[] small = {0, 0, 5};
        byte[] ct = run(impl(CKM.RSA_X_509).encrypt(Mechanism.of(CKM.RSA_X_509), PUB), small);
        assertEquals(256, ct.length);
        assertEquals(BigInteger.valueOf(5).modPow(big(PUB, CKA.PUBLIC_EXPONENT), n), new BigInteger(1, ct));
        byte[] pt = run(impl(CKM.RSA_X_509).decrypt(Mechanism.of(CKM.RSA_X_509), PRIV), ct);
        assertEquals(256, pt.length);
        assertEquals(BigInteger.valueOf(5), new BigInteger(1, pt));
        verify(CKM.RSA_X_509, null, small, sign(CKM.RSA_X_509, null, small));
        byte[] ff = new byte[256];
        Arrays.fill(ff, (byte) 0xff);
        assertRv(CKR.DATA_LEN_RANGE, () -> run(impl(CKM.RSA_X_509).encrypt(Mechanism.of(CKM.RSA_X_509), PUB), ff));
    }

    @Test
    void hashedSignaturesAreIndependentOfHowDataIsSplit() {
        qt().withExamples(15).forAll(integers().between(0, 200), integers().between(0, 200)).checkAssert((len, split) -> {
            byte[] data = bytes(len, len);
            int s = Math.min(split, len);
            byte[] whole = sign(CKM.SHA512_RSA_PKCS, null, data);
            assertArrayEquals(whole, sign(CKM.SHA512_RSA_PKCS, null, Arrays.copyOf(data, s), Arrays.copyOfRange(data, s, len)));
            verify(CKM.SHA512_RSA_PKCS, null, data, whole);
        });
    }

    @Test
    void rsaMechanismsRejectEcKeys() {
        KeyView ec = new TestKeys.MapKeyView().with(CKA.CLASS, CKO.PRIVATE_KEY).with(CKA.KEY_TYPE, CKK.EC);
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> impl(CKM.SHA256_RSA_PKCS).sign(Mechanism.of(CKM.SHA256_RSA_PKCS), ec));
    }
}
