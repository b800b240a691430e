package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static io.jhsm.engine.EngineFixture.bytes;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKP;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.Ulong;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAKeyGenerationParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAKeyPairGenerator;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPublicKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSASigner;
import org.junit.jupiter.api.Test;

/**
 * PKCS#11 3.2 C_VerifySignatureInit/C_VerifySignature/Update/Final: signatures made by the JDK (ECDSA,
 * RSA) and by Bouncy Castle's ML-DSA verify against imported public keys; the Init checks are
 * C_VerifyInit's; the operation ends after the single-part call, the Final call, or any error.
 */
class VerifySignatureTest extends LoggedInEngineTest {
    private static final byte[] P256 = {0x06, 0x08, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x03, 0x01, 0x07};
    private static final byte[] SHA256_DIGEST_INFO_PREFIX = {0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, (byte) 0x86, 0x48, 0x01,
        0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20};
    private static final byte[] DATA = bytes("data verified after its signature was given first");

    private final KeyPair ec = jdkPair("EC", new ECGenParameterSpec("secp256r1"));

    private static KeyPair jdkPair(String algorithm, java.security.spec.AlgorithmParameterSpec spec) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            g.initialize(spec);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] jdkSign(String algorithm, KeyPair pair, byte[] data) throws Exception {
        Signature sig = Signature.getInstance(algorithm);
        sig.initSign(pair.getPrivate());
        sig.update(data);
        return sig.sign();
    }

    private long publicKey(long keyType, Attribute... values) {
        List<Attribute> t = new ArrayList<>(List.of(Attribute.of(CKA.CLASS, CKO.PUBLIC_KEY), Attribute.of(CKA.KEY_TYPE, keyType)));
        t.addAll(Arrays.asList(values));
        return f.engine.C_CreateObject(s, t);
    }

    /** The JDK's P-256 key as a token object: CKA_EC_POINT is the DER OCTET STRING of the X.509 key's last 65 bytes (04||X||Y). */
    private long ecPublicKey(Attribute... extra) {
        byte[] x509 = ec.getPublic().getEncoded();
        byte[] point = new byte[67];
        point[0] = 0x04;
        point[1] = 65;
        System.arraycopy(x509, x509.length - 65, point, 2, 65);
        List<Attribute> t = new ArrayList<>(List.of(Attribute.of(CKA.EC_PARAMS, P256), Attribute.of(CKA.EC_POINT, point)));
        t.addAll(Arrays.asList(extra));
        if (extra.length == 0) {
            t.add(Attribute.of(CKA.VERIFY, true));
        }
        return publicKey(CKK.EC, t.toArray(Attribute[]::new));
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    @Test
    void ecdsaWithSha256VerifiesTheJdksSignatureInOneCallAndInParts() throws Exception {
        byte[] sig = jdkSign("SHA256withECDSAinP1363Format", ec, DATA);
        long key = ecPublicKey();
        Mechanism m = Mechanism.of(CKM.ECDSA_SHA256);
        f.engine.C_VerifySignatureInit(s, m, key, sig);
        f.engine.C_VerifySignature(s, DATA);
        f.engine.C_VerifySignatureInit(s, m, key, sig);
        f.engine.C_VerifySignatureUpdate(s, Arrays.copyOfRange(DATA, 0, 7));
        f.engine.C_VerifySignatureUpdate(s, Arrays.copyOfRange(DATA, 7, DATA.length));
        f.engine.C_VerifySignatureFinal(s);
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_VerifySignatureFinal(s));
    }

    @Test
    void aChangedSignatureOrDataIsSignatureInvalidAndEndsTheOperation() throws Exception {
        byte[] sig = jdkSign("SHA256withECDSAinP1363Format", ec, DATA);
        long key = ecPublicKey();
        byte[] tampered = sig.clone();
        tampered[10] ^= 1;
        f.engine.C_VerifySignatureInit(s, Mechanism.of(CKM.ECDSA_SHA256), key, tampered);
        assertRv(CKR.SIGNATURE_INVALID, () -> f.engine.C_VerifySignature(s, DATA));
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_VerifySignature(s, DATA));
        f.engine.C_VerifySignatureInit(s, Mechanism.of(CKM.ECDSA_SHA256), key, sig);
        f.engine.C_VerifySignatureUpdate(s, bytes("other data"));
        assertRv(CKR.SIGNATURE_INVALID, () -> f.engine.C_VerifySignatureFinal(s));
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_VerifySignatureUpdate(s, DATA));
    }

    @Test
    void aSignatureOfTheWrongLengthIsSignatureLenRangeWhenTheDataIsComplete() throws Exception {
        long key = ecPublicKey();
        byte[] sig = jdkSign("SHA256withECDSAinP1363Format", ec, DATA);
        f.engine.C_VerifySignatureInit(s, Mechanism.of(CKM.ECDSA_SHA256), key, Arrays.copyOf(sig, 63));
        assertRv(CKR.SIGNATURE_LEN_RANGE, () -> f.engine.C_VerifySignature(s, DATA));
        f.engine.C_VerifySignatureInit(s, Mechanism.of(CKM.ECDSA_SHA256), key, new byte[0]);
        f.engine.C_VerifySignatureUpdate(s, DATA);
        assertRv(CKR.SIGNATURE_LEN_RANGE, () -> f.engine.C_VerifySignatureFinal(s));
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_VerifySignatureFinal(s));
    }

    @Test
    void singlePartMechanismsRefuseUpdateAsCVerifyUpdateDoesAndTheOperationEnds() throws Exception {
        long key = ecPublicKey();
        byte[] hash = MessageDigest.getInstance("SHA-256").digest(DATA);
        byte[] sig = jdkSign("SHA256withECDSAinP1363Format", ec, DATA);
        f.engine.C_VerifySignatureInit(s, Mechanism.of(CKM.ECDSA), key, sig);
        f.engine.C_VerifySignature(s, hash);
        f.engine.C_VerifySignatureInit(s, Mechanism.of(CKM.ECDSA), key, sig);
        assertRv(CKR.FUNCTION_NOT_SUPPORTED, () -> f.engine.C_VerifySignatureUpdate(s, hash));
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_VerifySignature(s, hash));
    }

    @Test
    void rsaPkcsVerifiesTheJdksSha256WithRsaSignatureOverItsDigestInfo() throws Exception {
        KeyPair rsa = jdkPair("RSA", new java.security.spec.RSAKeyGenParameterSpec(2048, java.security.spec.RSAKeyGenParameterSpec.F4));
        RSAPublicKey pub = (RSAPublicKey) rsa.getPublic();
        long key = publicKey(CKK.RSA, Attribute.of(CKA.MODULUS, unsigned(pub.getModulus())),
                Attribute.of(CKA.PUBLIC_EXPONENT, unsigned(pub.getPublicExponent())), Attribute.of(CKA.VERIFY, true));
        byte[] sig = jdkSign("SHA256withRSA", rsa, DATA);
        byte[] digestInfo = io.jhsm.engine.mechanism.Bytes.concat(SHA256_DIGEST_INFO_PREFIX,
                MessageDigest.getInstance("SHA-256").digest(DATA));
        f.engine.C_VerifySignatureInit(s, Mechanism.of(CKM.RSA_PKCS), key, sig);
        f.engine.C_VerifySignature(s, digestInfo);
        f.engine.C_VerifySignatureInit(s, Mechanism.of(CKM.SHA256_RSA_PKCS), key, sig);
        f.engine.C_VerifySignatureUpdate(s, DATA);
        f.engine.C_VerifySignatureFinal(s);
        f.engine.C_VerifySignatureInit(s, Mechanism.of(CKM.RSA_PKCS), key, sig);
        assertRv(CKR.FUNCTION_NOT_SUPPORTED, () -> f.engine.C_VerifySignatureUpdate(s, digestInfo));
        f.engine.C_VerifySignatureInit(s, Mechanism.of(CKM.RSA_PKCS), key, Arrays.copyOf(sig, 255));
        assertRv(CKR.SIGNATURE_LEN_RANGE, () -> f.engine.C_VerifySignature(s, digestInfo));
    }

    @Test
    void pureMlDsaVerifiesInPartsHereWhileCVerifyUpdateStillRefuses() {
        MLDSAKeyPairGenerator g = new MLDSAKeyPairGenerator();
        g.init(new MLDSAKeyGenerationParameters(new SecureRandom(), MLDSAParameters.ml_dsa_44));
        AsymmetricCipherKeyPair pair = g.generateKeyPair();
        MLDSASigner signer = new MLDSASigner();
        signer.init(true, pair.getPrivate());
        signer.update(DATA, 0, DATA.length);
        byte[] sig;
        try {
            sig = signer.generateSignature();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        long key = publicKey(CKK.ML_DSA, Attribute.of(CKA.PARAMETER_SET, CKP.ML_DSA_44),
                Attribute.of(CKA.VALUE, ((MLDSAPublicKeyParameters) pair.getPublic()).getEncoded()), Attribute.of(CKA.VERIFY, true));
        Mechanism m = Mechanism.of(CKM.ML_DSA);
        f.engine.C_VerifySignatureInit(s, m, key, sig);
        f.engine.C_VerifySignatureUpdate(s, Arrays.copyOfRange(DATA, 0, 3));
        f.engine.C_VerifySignatureUpdate(s, new byte[0]);
        f.engine.C_VerifySignatureUpdate(s, Arrays.copyOfRange(DATA, 3, DATA.length));
        f.engine.C_VerifySignatureFinal(s);
        f.engine.C_VerifySignatureInit(s, m, key, sig);
        f.engine.C_VerifySignature(s, DATA);
        f.engine.C_VerifySignatureInit(s, m, key, Arrays.copyOf(sig, sig.length - 1));
        f.engine.C_VerifySignatureUpdate(s, DATA);
        assertRv(CKR.SIGNATURE_LEN_RANGE, () -> f.engine.C_VerifySignatureFinal(s));
        f.engine.C_VerifyInit(s, m, key);
        assertRv(CKR.FUNCTION_NOT_SUPPORTED, () -> f.engine.C_VerifyUpdate(s, DATA));
    }

    @Test
    void initChecksTheKeyAsCVerifyInitDoes() {
        byte[] sig = new byte[64];
        Mechanism m = Mechanism.of(CKM.ECDSA_SHA256);
        assertRv(CKR.KEY_FUNCTION_NOT_PERMITTED,
                () -> f.engine.C_VerifySignatureInit(s, m, ecPublicKey(Attribute.of(CKA.VERIFY, false)), sig));
        assertRv(CKR.MECHANISM_INVALID, () -> f.engine.C_VerifySignatureInit(s, m, ecPublicKey(Attribute.of(CKA.VERIFY, true),
                Attribute.of(CKA.ALLOWED_MECHANISMS, Ulong.encodeArray(new long[] {CKM.ECDSA}))), sig));
        long data = f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.DATA), Attribute.of(CKA.VALUE, new byte[1])));
        assertRv(CKR.KEY_HANDLE_INVALID, () -> f.engine.C_VerifySignatureInit(s, m, data, sig));
        assertRv(CKR.KEY_HANDLE_INVALID, () -> f.engine.C_VerifySignatureInit(s, m, 0xdead, sig));
        assertRv(CKR.MECHANISM_INVALID, () -> f.engine.C_VerifySignatureInit(s, Mechanism.of(CKM.AES_KEY_GEN), ecPublicKey(), sig));
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> f.engine.C_VerifySignatureInit(s, Mechanism.of(CKM.RSA_PKCS), ecPublicKey(), sig));
        assertRv(CKR.ARGUMENTS_BAD, () -> f.engine.C_VerifySignatureInit(s, m, ecPublicKey(), null));
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_VerifySignature(s, DATA));
    }

    @Test
    void aSecondInitIsOperationActiveAndANullMechanismOrCSessionCancelEndsTheOperation() {
        long key = ecPublicKey();
        Mechanism m = Mechanism.of(CKM.ECDSA_SHA256);
        f.engine.C_VerifySignatureInit(s, m, key, new byte[64]);
        assertRv(CKR.OPERATION_ACTIVE, () -> f.engine.C_VerifySignatureInit(s, m, key, new byte[64]));
        f.engine.C_VerifySignatureInit(s, null, 0, null);
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_VerifySignature(s, DATA));
        f.engine.C_VerifySignatureInit(s, m, key, new byte[64]);
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_Verify(s, DATA, new byte[64]));
        f.engine.C_SessionCancel(s, CKF.VERIFY);
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_VerifySignature(s, DATA));
    }

    @Test
    void theSinglePartCallAfterAnUpdateEndsTheOperation() throws Exception {
        long key = ecPublicKey();
        byte[] sig = jdkSign("SHA256withECDSAinP1363Format", ec, DATA);
        f.engine.C_VerifySignatureInit(s, Mechanism.of(CKM.ECDSA_SHA256), key, sig);
        f.engine.C_VerifySignatureUpdate(s, DATA);
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_VerifySignature(s, DATA));
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_VerifySignatureFinal(s));
        f.engine.C_VerifySignatureInit(s, Mechanism.of(CKM.ECDSA_SHA256), key, sig);
        assertRv(CKR.ARGUMENTS_BAD, () -> f.engine.C_VerifySignature(s, null));
        assertRv(CKR.OPERATION_NOT_INITIALIZED, () -> f.engine.C_VerifySignature(s, DATA));
    }
}
