package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.AttributeReading;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKH;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKP;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.pkcs11.Ulong;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.params.ParametersWithContext;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPublicKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSASigner;
import org.junit.jupiter.api.Test;

/** ML-DSA through the engine: key generation by parameter set, signatures in all PKCS#11 3.2 forms, key import. */
class MlDsaEngineTest extends LoggedInEngineTest {
    long[] generate(long ckm, long keyType, long parameterSet) {
        return f.engine.C_GenerateKeyPair(s, Mechanism.of(ckm),
                List.of(Attribute.of(CKA.PARAMETER_SET, parameterSet), Attribute.of(CKA.VERIFY, true)),
                List.of(Attribute.of(CKA.SIGN, true)));
    }

    byte[] attribute(long handle, long type) {
        AttributeReading r = f.engine.C_GetAttributeValue(s, handle, new long[] {type}).get(0);
        assertEquals(CKR.name(CKR.OK), CKR.name(r.rv()), CKA.name(type));
        return r.value();
    }

    byte[] sign(Mechanism m, long key, byte[] data) {
        f.engine.C_SignInit(s, m, key);
        byte[] sig = new byte[5000];
        int n = f.engine.C_Sign(s, data, sig);
        return Arrays.copyOf(sig, n);
    }

    @Test
    void keyGenerationGivesEachParameterSetItsFips204Sizes() {
        long[][] sets = {{CKP.ML_DSA_44, 1312, 2560, 2420}, {CKP.ML_DSA_65, 1952, 4032, 3309}, {CKP.ML_DSA_87, 2592, 4896, 4627}};
        for (long[] set : sets) {
            long[] pair = generate(CKM.ML_DSA_KEY_PAIR_GEN, CKK.ML_DSA, set[0]);
            assertEquals(set[1], attribute(pair[0], CKA.VALUE).length);
            assertEquals(set[0], Ulong.decode(attribute(pair[1], CKA.PARAMETER_SET)));
            assertEquals(CKK.ML_DSA, Ulong.decode(attribute(pair[1], CKA.KEY_TYPE)));
            assertEquals(set[3], sign(Mechanism.of(CKM.ML_DSA), pair[1], new byte[] {1, 2, 3}).length);
            AttributeReading secret = f.engine.C_GetAttributeValue(s, pair[1], new long[] {CKA.VALUE, CKA.SEED}).get(0);
            assertEquals(CKR.name(CKR.ATTRIBUTE_SENSITIVE), CKR.name(secret.rv()));
        }
    }

    @Test
    void keyGenerationWithoutOrWithAWrongParameterSetFailsAsTheSpecificationSays() {
        assertRv(CKR.TEMPLATE_INCOMPLETE, () -> f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.ML_DSA_KEY_PAIR_GEN), List.of(), List.of()));
        assertRv(CKR.PARAMETER_SET_NOT_SUPPORTED, () -> generate(CKM.ML_DSA_KEY_PAIR_GEN, CKK.ML_DSA, 4));
        assertRv(CKR.TEMPLATE_INCONSISTENT, () -> f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.ML_DSA_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.PARAMETER_SET, CKP.ML_DSA_44)), List.of(Attribute.of(CKA.PARAMETER_SET, CKP.ML_DSA_65))));
    }

    @Test
    void signaturesWithContextVerifyUnderBouncyCastlesPublicApiAndInTheEngine() {
        long[] pair = generate(CKM.ML_DSA_KEY_PAIR_GEN, CKK.ML_DSA, CKP.ML_DSA_65);
        byte[] ctx = "jhsm context".getBytes();
        byte[] data = new byte[1000];
        Mechanism m = Mechanism.of(CKM.ML_DSA, new MechanismParams.SignAdditionalContext(CKH.HEDGE_REQUIRED, ctx));
        byte[] sig = sign(m, pair[1], data);
        MLDSASigner bc = new MLDSASigner();
        bc.init(false, new ParametersWithContext(new MLDSAPublicKeyParameters(MLDSAParameters.ml_dsa_65, attribute(pair[0], CKA.VALUE)), ctx));
        bc.update(data, 0, data.length);
        assertEquals(true, bc.verifySignature(sig));
        f.engine.C_VerifyInit(s, m, pair[0]);
        f.engine.C_Verify(s, data, sig);
        f.engine.C_VerifyInit(s, Mechanism.of(CKM.ML_DSA), pair[0]);
        assertRv(CKR.SIGNATURE_INVALID, () -> f.engine.C_Verify(s, data, sig));
    }

    @Test
    void multiPartSigningEqualsSinglePartWhenDeterministic() {
        long[] pair = generate(CKM.ML_DSA_KEY_PAIR_GEN, CKK.ML_DSA, CKP.ML_DSA_44);
        Mechanism det = Mechanism.of(CKM.ML_DSA, new MechanismParams.SignAdditionalContext(CKH.DETERMINISTIC_REQUIRED, new byte[0]));
        byte[] data = "a message in three parts".getBytes();
        byte[] once = sign(det, pair[1], data);
        f.engine.C_SignInit(s, det, pair[1]);
        f.engine.C_SignUpdate(s, Arrays.copyOfRange(data, 0, 5));
        f.engine.C_SignUpdate(s, Arrays.copyOfRange(data, 5, data.length));
        byte[] sig = new byte[2420];
        f.engine.C_SignFinal(s, sig);
        assertArrayEquals(once, sig);
        assertArrayEquals(once, sign(det, pair[1], data));
        assertFalse(Arrays.equals(sign(Mechanism.of(CKM.ML_DSA), pair[1], data), sign(Mechanism.of(CKM.ML_DSA), pair[1], data)),
                "hedged by default: two signatures differ");
    }

    @Test
    void pureVerificationIsSinglePartAsPkcs11Says() {
        long[] pair = generate(CKM.ML_DSA_KEY_PAIR_GEN, CKK.ML_DSA, CKP.ML_DSA_44);
        f.engine.C_VerifyInit(s, Mechanism.of(CKM.ML_DSA), pair[0]);
        assertRv(CKR.FUNCTION_NOT_SUPPORTED, () -> f.engine.C_VerifyUpdate(s, new byte[1]));
    }

    @Test
    void preHashSignaturesAgreeBetweenTokenHashingAndCallerHashing() throws Exception {
        long[] pair = generate(CKM.ML_DSA_KEY_PAIR_GEN, CKK.ML_DSA, CKP.ML_DSA_44);
        byte[] data = "pre-hash me".getBytes();
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(data);
        byte[] ctx = {9, 8, 7};
        byte[] onToken = sign(Mechanism.of(CKM.HASH_ML_DSA_SHA256, new MechanismParams.SignAdditionalContext(CKH.DETERMINISTIC_REQUIRED, ctx)), pair[1], data);
        Mechanism byCaller = Mechanism.of(CKM.HASH_ML_DSA, new MechanismParams.HashSignAdditionalContext(CKH.DETERMINISTIC_REQUIRED, ctx, CKM.SHA256));
        assertArrayEquals(onToken, sign(byCaller, pair[1], digest));
        f.engine.C_VerifyInit(s, byCaller, pair[0]);
        f.engine.C_Verify(s, digest, onToken);
        f.engine.C_SignInit(s, byCaller, pair[1]);
        assertRv(CKR.DATA_LEN_RANGE, () -> f.engine.C_Sign(s, new byte[31], new byte[2420]));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> f.engine.C_SignInit(s, Mechanism.of(CKM.HASH_ML_DSA), pair[1]));
        for (long ckm = CKM.HASH_ML_DSA_SHA224; ckm <= CKM.HASH_ML_DSA_SHAKE256; ckm++) {
            f.engine.C_SignInit(s, Mechanism.of(ckm), pair[1]);
            f.engine.C_SignUpdate(s, data);
            byte[] sig = new byte[2420];
            f.engine.C_SignFinal(s, sig);
            f.engine.C_VerifyInit(s, Mechanism.of(ckm), pair[0]);
            f.engine.C_VerifyUpdate(s, data);
            f.engine.C_VerifyFinal(s, sig);
        }
    }

    @Test
    void badParametersAreMechanismParamInvalid() {
        long[] pair = generate(CKM.ML_DSA_KEY_PAIR_GEN, CKK.ML_DSA, CKP.ML_DSA_44);
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> f.engine.C_SignInit(s,
                Mechanism.of(CKM.ML_DSA, new MechanismParams.SignAdditionalContext(7, new byte[0])), pair[1]));
        assertRv(CKR.MECHANISM_PARAM_INVALID, () -> f.engine.C_SignInit(s,
                Mechanism.of(CKM.ML_DSA, new MechanismParams.SignAdditionalContext(CKH.HEDGE_PREFERRED, new byte[256])), pair[1]));
        assertRv(CKR.KEY_TYPE_INCONSISTENT, () -> f.engine.C_SignInit(s, Mechanism.of(CKM.SLH_DSA), pair[1]));
    }

    @Test
    void importedKeysSignAndVerifyAndSeedOnlyPrivateKeysAreExpanded() {
        long[] pair = f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.ML_DSA_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.PARAMETER_SET, CKP.ML_DSA_44)),
                List.of(Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true)));
        byte[] seed = attribute(pair[1], CKA.SEED);
        byte[] value = attribute(pair[1], CKA.VALUE);
        assertEquals(32, seed.length);
        long fromSeed = f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.PRIVATE_KEY), Attribute.of(CKA.KEY_TYPE, CKK.ML_DSA),
                Attribute.of(CKA.PARAMETER_SET, CKP.ML_DSA_44), Attribute.of(CKA.SEED, seed), Attribute.of(CKA.SENSITIVE, false),
                Attribute.of(CKA.EXTRACTABLE, true)));
        assertArrayEquals(value, attribute(fromSeed, CKA.VALUE));
        long pub = f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.PUBLIC_KEY), Attribute.of(CKA.KEY_TYPE, CKK.ML_DSA),
                Attribute.of(CKA.PARAMETER_SET, CKP.ML_DSA_44), Attribute.of(CKA.VALUE, attribute(pair[0], CKA.VALUE))));
        byte[] sig = sign(Mechanism.of(CKM.ML_DSA), fromSeed, new byte[] {5});
        f.engine.C_VerifyInit(s, Mechanism.of(CKM.ML_DSA), pub);
        f.engine.C_Verify(s, new byte[] {5}, sig);
        byte[] otherSeed = seed.clone();
        otherSeed[0] ^= 1;
        assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.PRIVATE_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.ML_DSA), Attribute.of(CKA.PARAMETER_SET, CKP.ML_DSA_44), Attribute.of(CKA.SEED, otherSeed),
                Attribute.of(CKA.VALUE, value))));
        assertRv(CKR.ATTRIBUTE_VALUE_INVALID, () -> f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.PUBLIC_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.ML_DSA), Attribute.of(CKA.PARAMETER_SET, CKP.ML_DSA_65), Attribute.of(CKA.VALUE, new byte[1312]))));
        assertRv(CKR.TEMPLATE_INCOMPLETE, () -> f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.PRIVATE_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.ML_DSA), Attribute.of(CKA.PARAMETER_SET, CKP.ML_DSA_44))));
    }

    @Test
    void allowedMechanismsRestrictMlDsaKeys() {
        long[] pair = f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.ML_DSA_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.PARAMETER_SET, CKP.ML_DSA_44)),
                List.of(Attribute.of(CKA.ALLOWED_MECHANISMS, Ulong.encodeArray(new long[] {CKM.HASH_ML_DSA_SHA512}))));
        assertRv(CKR.MECHANISM_INVALID, () -> f.engine.C_SignInit(s, Mechanism.of(CKM.ML_DSA), pair[1]));
        f.engine.C_SignInit(s, Mechanism.of(CKM.HASH_ML_DSA_SHA512), pair[1]);
    }

    @Test
    void aSavedSigningStateContinuesInAnotherSessionToTheSameDeterministicSignature() {
        long[] pair = generate(CKM.ML_DSA_KEY_PAIR_GEN, CKK.ML_DSA, CKP.ML_DSA_44);
        // SHA-2 digests are Memoable; SHA-3 and SHAKE are copied by constructor: every on-token hash family.
        for (long ckm : new long[] {CKM.ML_DSA, CKM.HASH_ML_DSA_SHA256, CKM.HASH_ML_DSA_SHA3_256, CKM.HASH_ML_DSA_SHAKE256}) {
            Mechanism m = Mechanism.of(ckm, new MechanismParams.SignAdditionalContext(CKH.DETERMINISTIC_REQUIRED, new byte[0]));
            byte[] whole = sign(m, pair[1], "first part, second part".getBytes());
            f.engine.C_SignInit(s, m, pair[1]);
            f.engine.C_SignUpdate(s, "first part, ".getBytes());
            byte[] state = new byte[f.engine.C_GetOperationState(s, null)];
            f.engine.C_GetOperationState(s, state);
            long other = f.engine.C_OpenSession(0, io.jhsm.pkcs11.CKF.SERIAL_SESSION);
            f.engine.C_SetOperationState(other, state, 0, pair[1]);
            for (long session : new long[] {s, other}) {
                f.engine.C_SignUpdate(session, "second part".getBytes());
                byte[] sig = new byte[f.engine.C_SignFinal(session, null)];
                f.engine.C_SignFinal(session, sig);
                assertArrayEquals(whole, sig, CKM.name(ckm));
            }
        }
    }
}
