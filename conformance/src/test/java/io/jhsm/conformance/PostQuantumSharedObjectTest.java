package io.jhsm.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jhsm.conformance.abi.FunctionList;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.BufferTooSmallException;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKH;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKP;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Encapsulation;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.params.ParametersWithContext;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAKeyGenerationParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAKeyPairGenerator;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPublicKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSASigner;
import org.junit.jupiter.api.Test;

/**
 * ML-DSA and ML-KEM through dist/libjhsm.so, the way a C application reaches them: the "PKCS 11" 3.2
 * interface for C_EncapsulateKey/C_DecapsulateKey and C_VerifySignature*, C structs for the 3.2 parameters. Signatures and
 * shared secrets are checked against JDK 25's independent ML-DSA and ML-KEM where that JDK exists.
 */
class PostQuantumSharedObjectTest extends SharedObject32Session {
    static final Mechanism ML_KEM = Mechanism.of(CKM.ML_KEM);
    static final List<Attribute> READABLE_SECRET = List.of(Attribute.of(CKA.CLASS, CKO.SECRET_KEY),
            Attribute.of(CKA.KEY_TYPE, CKK.GENERIC_SECRET), Attribute.of(CKA.SENSITIVE, false));
    static long[] generate(long ckm, long parameterSet) {
        return p.C_GenerateKeyPair(s, Mechanism.of(ckm), List.of(Attribute.of(CKA.PARAMETER_SET, parameterSet)), List.of());
    }

    static byte[] value(long handle) {
        return p.C_GetAttributeValue(s, handle, new long[] {CKA.VALUE}).get(0).value();
    }

    static byte[] sign(Mechanism m, long key, byte[] data) {
        p.C_SignInit(s, m, key);
        byte[] sig = new byte[p.C_Sign(s, data, null)];
        return Arrays.copyOf(sig, p.C_Sign(s, data, sig));
    }

    static byte[] spki(ASN1ObjectIdentifier oid, byte[] raw) throws Exception {
        return new SubjectPublicKeyInfo(new AlgorithmIdentifier(oid), raw).getEncoded();
    }

    @Test
    void theThreeTwoTableIsWhatTheModuleOffersByVersion() {
        assertArrayEquals(new int[] {3, 2}, p.functions().tableVersion());
        assertArrayEquals(new int[] {3, 0}, target.functions().tableVersion(), "asking for 3.0 still gives 3.0");
    }

    @Test
    void mlDsaSignaturesWithContextVerifyUnderBouncyCastleAndInTheModule() {
        long[] pair = generate(CKM.ML_DSA_KEY_PAIR_GEN, CKP.ML_DSA_65);
        byte[] ctx = "pkcs11 3.2".getBytes(StandardCharsets.US_ASCII);
        byte[] data = new byte[3000];
        Mechanism m = Mechanism.of(CKM.ML_DSA, new MechanismParams.SignAdditionalContext(CKH.HEDGE_REQUIRED, ctx));
        byte[] sig = sign(m, pair[1], data);
        assertEquals(3309, sig.length);
        MLDSASigner bc = new MLDSASigner();
        bc.init(false, new ParametersWithContext(new MLDSAPublicKeyParameters(MLDSAParameters.ml_dsa_65, value(pair[0])), ctx));
        bc.update(data, 0, data.length);
        assertEquals(true, bc.verifySignature(sig));
        p.C_VerifyInit(s, m, pair[0]);
        p.C_Verify(s, data, sig);
        p.C_VerifyInit(s, Mechanism.of(CKM.HASH_ML_DSA_SHA512), pair[0]);
        assertEquals(CKR.SIGNATURE_INVALID, rv(() -> p.C_Verify(s, data, sig)));
        assertEquals(CKR.MECHANISM_PARAM_INVALID, rv(() -> p.C_SignInit(s, Mechanism.of(CKM.HASH_ML_DSA,
                new MechanismParams.SignAdditionalContext(CKH.HEDGE_PREFERRED, ctx)), pair[1])), "a 24-byte struct where 32 belong");
    }

    @Test
    void verifySignatureTakesBouncyCastlesMlDsaSignatureFirstAndTheDataInParts() throws Exception {
        MLDSAKeyPairGenerator g = new MLDSAKeyPairGenerator();
        g.init(new MLDSAKeyGenerationParameters(new SecureRandom(), MLDSAParameters.ml_dsa_44));
        AsymmetricCipherKeyPair bcPair = g.generateKeyPair();
        byte[] data = "verified in parts through the C ABI".getBytes(StandardCharsets.US_ASCII);
        MLDSASigner signer = new MLDSASigner();
        signer.init(true, bcPair.getPrivate());
        signer.update(data, 0, data.length);
        byte[] sig = signer.generateSignature();
        long pub = p.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.PUBLIC_KEY), Attribute.of(CKA.KEY_TYPE, CKK.ML_DSA),
                Attribute.of(CKA.PARAMETER_SET, CKP.ML_DSA_44), Attribute.of(CKA.VERIFY, true),
                Attribute.of(CKA.VALUE, ((MLDSAPublicKeyParameters) bcPair.getPublic()).getEncoded())));
        Mechanism m = Mechanism.of(CKM.ML_DSA);
        p.C_VerifySignatureInit(s, m, pub, sig);
        p.C_VerifySignatureUpdate(s, Arrays.copyOfRange(data, 0, 10));
        p.C_VerifySignatureUpdate(s, Arrays.copyOfRange(data, 10, data.length));
        p.C_VerifySignatureFinal(s);
        assertEquals(CKR.OPERATION_NOT_INITIALIZED, rv(() -> p.C_VerifySignatureFinal(s)), "Final ended the operation");
        p.C_VerifySignatureInit(s, m, pub, sig);
        p.C_VerifySignature(s, data);
        byte[] tampered = sig.clone();
        tampered[100] ^= 1;
        p.C_VerifySignatureInit(s, m, pub, tampered);
        p.C_VerifySignatureUpdate(s, data);
        assertEquals(CKR.SIGNATURE_INVALID, rv(() -> p.C_VerifySignatureFinal(s)));
        p.C_VerifySignatureInit(s, m, pub, Arrays.copyOf(sig, 2419));
        assertEquals(CKR.SIGNATURE_LEN_RANGE, rv(() -> p.C_VerifySignature(s, data)));
        Memory mechanism = new Memory(24);
        mechanism.clear();
        mechanism.setLong(0, CKM.ML_DSA);
        assertEquals(CKR.ARGUMENTS_BAD, p.functions().call(FunctionList.C_VerifySignatureInit, s, mechanism, pub, Pointer.NULL, 4L));
        p.C_VerifyInit(s, m, pub);
        assertEquals(CKR.FUNCTION_NOT_SUPPORTED, rv(() -> p.C_VerifyUpdate(s, data)), "C_VerifyUpdate stays single-part for pure ML-DSA");
    }

    @Test
    void mlKemEncapsulationFollowsTheTwoCallProtocolAndBothSidesAgree() {
        long[] pair = generate(CKM.ML_KEM_KEY_PAIR_GEN, CKP.ML_KEM_768);
        Encapsulation query = p.C_EncapsulateKey(s, ML_KEM, pair[0], READABLE_SECRET, null);
        assertEquals(1088, query.ciphertextLength());
        BufferTooSmallException small = assertThrows(BufferTooSmallException.class,
                () -> p.C_EncapsulateKey(s, ML_KEM, pair[0], READABLE_SECRET, new byte[1087]));
        assertEquals(1088, small.requiredLength());
        byte[] ct = new byte[1088];
        Encapsulation e = p.C_EncapsulateKey(s, ML_KEM, pair[0], READABLE_SECRET, ct);
        long d = p.C_DecapsulateKey(s, ML_KEM, pair[1], READABLE_SECRET, ct);
        assertEquals(32, value(e.hKey()).length);
        assertArrayEquals(value(e.hKey()), value(d));
        assertEquals(CKR.WRAPPED_KEY_LEN_RANGE, rv(() -> p.C_DecapsulateKey(s, ML_KEM, pair[1], READABLE_SECRET, Arrays.copyOf(ct, 1087))));
        long[] dsa = generate(CKM.ML_DSA_KEY_PAIR_GEN, CKP.ML_DSA_44);
        assertEquals(CKR.KEY_TYPE_INCONSISTENT, rv(() -> p.C_EncapsulateKey(s, ML_KEM, dsa[0], READABLE_SECRET, ct)));
        assertEquals(CKR.UNWRAPPING_KEY_TYPE_INCONSISTENT, rv(() -> p.C_DecapsulateKey(s, ML_KEM, dsa[1], READABLE_SECRET, ct)));
        assertEquals(CKR.ARGUMENTS_BAD, rv(() -> p.C_DecapsulateKey(s, ML_KEM, pair[1], READABLE_SECRET, null)));
    }

    @Test
    void jdk25VerifiesJhsmsMlDsaSignaturesAndJhsmVerifiesJdk25s() throws Exception {
        assumeTrue(Jdk25.available(), "no JDK 25 at " + Jdk25.JAVA);
        long[] pair = generate(CKM.ML_DSA_KEY_PAIR_GEN, CKP.ML_DSA_87);
        byte[] data = "signed by jhsm".getBytes(StandardCharsets.US_ASCII);
        byte[] sig = sign(Mechanism.of(CKM.ML_DSA), pair[1], data);
        byte[] spki = spki(NISTObjectIdentifiers.id_ml_dsa_87, value(pair[0]));
        assertEquals("VALID", new String(Jdk25.run("verify", "ML-DSA-87", spki, data, sig).get(0), StandardCharsets.US_ASCII));
        sig[10] ^= 1;
        assertEquals("INVALID", new String(Jdk25.run("verify", "ML-DSA-87", spki, data, sig).get(0), StandardCharsets.US_ASCII));

        List<byte[]> jdk = Jdk25.run("sign", "ML-DSA-44", data);
        long pub = p.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.PUBLIC_KEY), Attribute.of(CKA.KEY_TYPE, CKK.ML_DSA),
                Attribute.of(CKA.PARAMETER_SET, CKP.ML_DSA_44), Attribute.of(CKA.VALUE, rawPublic(jdk.get(0)))));
        p.C_VerifyInit(s, Mechanism.of(CKM.ML_DSA), pub);
        p.C_Verify(s, data, jdk.get(2));
        // The JDK's private key (FIPS 204 sk) imported: jhsm's signature with it verifies under the JDK's public key.
        long priv = p.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.PRIVATE_KEY), Attribute.of(CKA.KEY_TYPE, CKK.ML_DSA),
                Attribute.of(CKA.PARAMETER_SET, CKP.ML_DSA_44), Attribute.of(CKA.VALUE, rawPrivate(jdk.get(1)))));
        byte[] mine = sign(Mechanism.of(CKM.ML_DSA), priv, data);
        assertEquals("VALID", new String(Jdk25.run("verify", "ML-DSA-44", jdk.get(0), data, mine).get(0), StandardCharsets.US_ASCII));
    }

    @Test
    void jdk25AndJhsmAgreeOnMlKemSharedSecretsBothWays() throws Exception {
        assumeTrue(Jdk25.available(), "no JDK 25 at " + Jdk25.JAVA);
        long[] pair = generate(CKM.ML_KEM_KEY_PAIR_GEN, CKP.ML_KEM_1024);
        List<byte[]> enc = Jdk25.run("encapsulate", spki(NISTObjectIdentifiers.id_alg_ml_kem_1024, value(pair[0])));
        assertArrayEquals(enc.get(1), value(p.C_DecapsulateKey(s, ML_KEM, pair[1], READABLE_SECRET, enc.get(0))),
                "jhsm decapsulates what the JDK encapsulated to jhsm's key");

        List<byte[]> jdkPair = Jdk25.run("keygen", "ML-KEM-512");
        long pub = p.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.PUBLIC_KEY), Attribute.of(CKA.KEY_TYPE, CKK.ML_KEM),
                Attribute.of(CKA.PARAMETER_SET, CKP.ML_KEM_512), Attribute.of(CKA.VALUE, rawPublic(jdkPair.get(0)))));
        byte[] ct = new byte[768];
        Encapsulation e = p.C_EncapsulateKey(s, ML_KEM, pub, READABLE_SECRET, ct);
        assertArrayEquals(value(e.hKey()), Jdk25.run("decapsulate", "ML-KEM", jdkPair.get(1), ct).get(0),
                "the JDK decapsulates what jhsm encapsulated to the JDK's key");
        long priv = p.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.PRIVATE_KEY), Attribute.of(CKA.KEY_TYPE, CKK.ML_KEM),
                Attribute.of(CKA.PARAMETER_SET, CKP.ML_KEM_512), Attribute.of(CKA.VALUE, rawPrivate(jdkPair.get(1)))));
        assertArrayEquals(value(e.hKey()), value(p.C_DecapsulateKey(s, ML_KEM, priv, READABLE_SECRET, ct)),
                "the JDK's FIPS 203 dk imported into jhsm decapsulates the same secret");
    }

    private static byte[] rawPublic(byte[] spki) {
        return SubjectPublicKeyInfo.getInstance(spki).getPublicKeyData().getOctets();
    }

    /** The JDK writes the expanded FIPS key as the OCTET STRING choice inside PrivateKeyInfo.privateKey. */
    private static byte[] rawPrivate(byte[] pkcs8) throws Exception {
        return ASN1OctetString.getInstance(PrivateKeyInfo.getInstance(pkcs8).parsePrivateKey()).getOctets();
    }
}
