package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKG;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/**
 * C_GetOperationState / C_SetOperationState for signatures, verifications and MACs: a saved state
 * continues in another session exactly like the original (checked against the JDK's own HMAC, ECDSA and
 * RSA), and restoring follows the specification's key rules.
 */
class SignatureStateTest extends LoggedInUserTest {
    private static final byte[] P256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
    private static final byte[] HMAC_KEY = bytes("0123456789abcdef0123456789abcdef");

    private byte[] save(long session) {
        byte[] state = new byte[f.engine.C_GetOperationState(session, null)];
        f.engine.C_GetOperationState(session, state);
        return state;
    }

    private byte[] signFinal(long session) {
        byte[] out = new byte[f.engine.C_SignFinal(session, null)];
        assertEquals(out.length, f.engine.C_SignFinal(session, out));
        return out;
    }

    private long hmacKey(Attribute... extra) {
        List<Attribute> t = new java.util.ArrayList<>(List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.VALUE, HMAC_KEY),
                Attribute.of(CKA.SIGN, true), Attribute.of(CKA.VERIFY, true)));
        t.addAll(Arrays.asList(extra));
        return f.engine.C_CreateObject(s, t);
    }

    private long[] ecPair(Attribute... privateExtra) {
        List<Attribute> privateTemplate = new java.util.ArrayList<>(List.of(Attribute.of(CKA.SIGN, true)));
        privateTemplate.addAll(Arrays.asList(privateExtra));
        return f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.EC_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.EC_PARAMS, P256), Attribute.of(CKA.VERIFY, true)), privateTemplate);
    }

    private byte[] attribute(long object, long type) {
        return f.engine.C_GetAttributeValue(s, object, new long[] {type}).get(0).value();
    }

    /** The JDK's view of a token P-256 public key, from CKA_EC_POINT (a DER OCTET STRING of 04 || X || Y). */
    private PublicKey jdkEcKey(long publicKey) throws Exception {
        byte[] point = attribute(publicKey, CKA.EC_POINT);
        int at = point.length - 64;
        AlgorithmParameters p = AlgorithmParameters.getInstance("EC");
        p.init(new ECGenParameterSpec("secp256r1"));
        ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOfRange(point, at, at + 32)),
                new BigInteger(1, Arrays.copyOfRange(point, at + 32, at + 64)));
        return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, p.getParameterSpec(ECParameterSpec.class)));
    }

    @Test
    void hmacStateContinuesInAnotherSessionLikeTheJdksMac() throws Exception {
        long key = hmacKey();
        f.engine.C_SignInit(s, Mechanism.of(CKM.SHA256_HMAC), key);
        f.engine.C_SignUpdate(s, bytes("hello "));
        byte[] state = save(s);
        long other = f.rwSession();
        f.engine.C_SetOperationState(other, state, 0, key);
        f.engine.C_SignUpdate(s, bytes("world"));
        f.engine.C_SignUpdate(other, bytes("there"));
        Mac jdk = Mac.getInstance("HmacSHA256");
        jdk.init(new SecretKeySpec(HMAC_KEY, "HmacSHA256"));
        assertArrayEquals(jdk.doFinal(bytes("hello world")), signFinal(s));
        assertArrayEquals(jdk.doFinal(bytes("hello there")), signFinal(other));
    }

    @Test
    void generalHmacStateKeepsItsTruncatedLength() throws Exception {
        long key = hmacKey();
        f.engine.C_SignInit(s, Mechanism.of(CKM.SHA512_HMAC_GENERAL, new MechanismParams.UlongValue(20)), key);
        f.engine.C_SignUpdate(s, bytes("part one, "));
        byte[] state = save(s);
        long other = f.rwSession();
        f.engine.C_SetOperationState(other, state, 0, key);
        f.engine.C_SignUpdate(other, bytes("part two"));
        Mac jdk = Mac.getInstance("HmacSHA512");
        jdk.init(new SecretKeySpec(HMAC_KEY, "HmacSHA512"));
        assertArrayEquals(Arrays.copyOf(jdk.doFinal(bytes("part one, part two")), 20), signFinal(other));
    }

    @Test
    void ecdsaSha256SigningAndVerifyingStatesBothContinueAndTheJdkVerifies() throws Exception {
        long[] pair = ecPair();
        f.engine.C_SignInit(s, Mechanism.of(CKM.ECDSA_SHA256), pair[1]);
        f.engine.C_SignUpdate(s, bytes("common prefix "));
        byte[] state = save(s);
        long other = f.rwSession();
        f.engine.C_SetOperationState(other, state, 0, pair[1]);
        f.engine.C_SignUpdate(s, bytes("A"));
        f.engine.C_SignUpdate(other, bytes("B"));
        byte[] sigA = signFinal(s);
        byte[] sigB = signFinal(other);
        Signature jdk = Signature.getInstance("SHA256withECDSAinP1363Format");
        jdk.initVerify(jdkEcKey(pair[0]));
        jdk.update(bytes("common prefix A"));
        assertTrue(jdk.verify(sigA), "original continuation");
        jdk.update(bytes("common prefix B"));
        assertTrue(jdk.verify(sigB), "restored continuation");

        f.engine.C_VerifyInit(s, Mechanism.of(CKM.ECDSA_SHA256), pair[0]);
        f.engine.C_VerifyUpdate(s, bytes("common prefix "));
        byte[] verifyState = save(s);
        f.engine.C_SetOperationState(other, verifyState, 0, pair[0]);
        f.engine.C_VerifyUpdate(other, bytes("B"));
        f.engine.C_VerifyFinal(other, sigB);
        f.engine.C_VerifyUpdate(s, bytes("B"));
        assertRv(CKR.SIGNATURE_INVALID, () -> f.engine.C_VerifyFinal(s, sigA));
    }

    @Test
    void rsaPkcsAndPssHashingStatesContinueAndTheJdkVerifies() throws Exception {
        long[] pair = f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.RSA_PKCS_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.MODULUS_BITS, 2048L), Attribute.of(CKA.VERIFY, true)), List.of(Attribute.of(CKA.SIGN, true)));
        PublicKey pub = KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(
                new BigInteger(1, attribute(pair[0], CKA.MODULUS)), new BigInteger(1, attribute(pair[0], CKA.PUBLIC_EXPONENT))));
        Mechanism pss = Mechanism.of(CKM.SHA256_RSA_PKCS_PSS, new MechanismParams.Pss(CKM.SHA256, CKG.MGF1_SHA256, 32));
        Signature pssJdk = Signature.getInstance("RSASSA-PSS");
        pssJdk.setParameter(new PSSParameterSpec("SHA-256", "MGF1", MGF1ParameterSpec.SHA256, 32, 1));
        for (Mechanism m : List.of(Mechanism.of(CKM.SHA256_RSA_PKCS), pss)) {
            f.engine.C_SignInit(s, m, pair[1]);
            f.engine.C_SignUpdate(s, bytes("to be "));
            long other = f.rwSession();
            f.engine.C_SetOperationState(other, save(s), 0, pair[1]);
            f.engine.C_SignUpdate(other, bytes("continued"));
            Signature jdk = m == pss ? pssJdk : Signature.getInstance("SHA256withRSA");
            jdk.initVerify(pub);
            jdk.update(bytes("to be continued"));
            assertTrue(jdk.verify(signFinal(other)), CKM.name(m.type()));
            f.engine.C_SignUpdate(s, bytes("continued"));
            jdk.update(bytes("to be continued"));
            assertTrue(jdk.verify(signFinal(s)), CKM.name(m.type()) + " original");
        }
    }

    @Test
    void restoringNeedsExactlyTheKeyTheStateWasUsing() {
        long key = hmacKey();
        long otherKey = hmacKey();
        f.engine.C_SignInit(s, Mechanism.of(CKM.SHA256_HMAC), key);
        f.engine.C_SignUpdate(s, bytes("x"));
        byte[] state = save(s);
        long other = f.rwSession();
        assertRv(CKR.KEY_NEEDED, () -> f.engine.C_SetOperationState(other, state, 0, 0));
        assertRv(CKR.KEY_CHANGED, () -> f.engine.C_SetOperationState(other, state, 0, otherKey));
        assertRv(CKR.KEY_CHANGED, () -> f.engine.C_SetOperationState(other, state, 0, 0xdeadL));
        assertRv(CKR.KEY_NOT_NEEDED, () -> f.engine.C_SetOperationState(other, state, key, key));
        assertRv(CKR.SAVED_STATE_INVALID, () -> f.engine.C_SetOperationState(other, Arrays.copyOf(state, 19), 0, key));

        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        f.engine.C_DigestInit(other, Mechanism.of(CKM.SHA256));
        byte[] digestAndSign = save(s);
        assertRv(CKR.KEY_NOT_NEEDED, () -> f.engine.C_SetOperationState(other, digestAndSign, key, key));
        f.engine.C_SetOperationState(other, digestAndSign, 0, key);
        assertEquals(32, signFinal(other).length, "the restored MAC");
    }

    @Test
    void restoringCancelsWhatTheSessionWasDoing() {
        long key = hmacKey();
        f.engine.C_SignInit(s, Mechanism.of(CKM.SHA256_HMAC), key);
        byte[] state = save(s);
        long other = f.rwSession();
        f.engine.C_EncryptInit(other, Mechanism.of(CKM.AES_ECB), f.aesKey(other, Attribute.of(CKA.ENCRYPT, true)));
        f.engine.C_SetOperationState(other, state, 0, key);
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_EncryptFinal(other, new byte[16]));
    }

    @Test
    void keysThatAuthoriseEachUseSeparatelyAndCmacAreUnsaveable() {
        long[] alwaysAuth = ecPair(Attribute.of(CKA.ALWAYS_AUTHENTICATE, true));
        f.engine.C_SignInit(s, Mechanism.of(CKM.ECDSA_SHA256), alwaysAuth[1]);
        assertRv(CKR.STATE_UNSAVEABLE, () -> f.engine.C_GetOperationState(s, new byte[20]));

        long s2 = f.rwSession();
        long aes = f.aesKey(s2, Attribute.of(CKA.SIGN, true));
        f.engine.C_SignInit(s2, Mechanism.of(CKM.AES_CMAC), aes);
        assertRv(CKR.STATE_UNSAVEABLE, () -> f.engine.C_GetOperationState(s2, new byte[20]));
    }

    @Test
    void aLengthQuerySpendsNothingSoTheDigestStaysSaveable() throws Exception {
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        f.engine.C_DigestUpdate(s, bytes("abc"));
        assertEquals(32, f.engine.C_DigestFinal(s, null));
        int n = f.engine.C_GetOperationState(s, null);
        byte[] state = new byte[n];
        f.engine.C_GetOperationState(s, state);
        f.engine.C_DigestUpdate(s, bytes("d"));
        f.engine.C_SetOperationState(s, state, 0, 0);
        byte[] out = new byte[32];
        f.engine.C_DigestFinal(s, out);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(bytes("abc")), out);
    }

    @Test
    void aTooSmallBufferSpendsNothingSoTheDigestStaysSaveable() throws Exception {
        f.engine.C_DigestInit(s, Mechanism.of(CKM.SHA256));
        f.engine.C_DigestUpdate(s, bytes("abc"));
        assertRv(CKR.BUFFER_TOO_SMALL, () -> f.engine.C_DigestFinal(s, new byte[4]));
        byte[] state = new byte[f.engine.C_GetOperationState(s, null)];
        f.engine.C_GetOperationState(s, state);
        byte[] out = new byte[32];
        f.engine.C_DigestFinal(s, out);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(bytes("abc")), out);
    }

    @Test
    void theTokenNoLongerClaimsStatesCarryTheirKeys() {
        assertEquals(0, f.engine.C_GetTokenInfo(0).flags() & CKF.RESTORE_KEY_NOT_NEEDED);
    }
}
