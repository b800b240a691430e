package io.jhsm.engine;

import static io.jhsm.engine.EngineFixture.assertRv;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKH;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKO;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKP;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.params.ParametersWithContext;
import org.bouncycastle.pqc.crypto.slhdsa.SLHDSAParameters;
import org.bouncycastle.pqc.crypto.slhdsa.SLHDSAPublicKeyParameters;
import org.bouncycastle.pqc.crypto.slhdsa.SLHDSASigner;
import org.junit.jupiter.api.Test;

/** SLH-DSA through the engine, on the fast parameter sets (the small ones take seconds a signature). */
class SlhDsaEngineTest extends LoggedInEngineTest {
    long[] generate(long parameterSet) {
        return f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.SLH_DSA_KEY_PAIR_GEN), List.of(Attribute.of(CKA.PARAMETER_SET, parameterSet)), List.of());
    }

    byte[] sign(Mechanism m, long key, byte[] data) {
        f.engine.C_SignInit(s, m, key);
        byte[] sig = new byte[50_000];
        return Arrays.copyOf(sig, f.engine.C_Sign(s, data, sig));
    }

    @Test
    void signaturesHaveFips205SizesAndVerifyUnderBouncyCastlesPublicApi() {
        byte[] ctx = {1, 2};
        byte[] data = "slh".getBytes();
        Object[][] sets = {{CKP.SLH_DSA_SHA2_128F, SLHDSAParameters.sha2_128f, 17088}, {CKP.SLH_DSA_SHAKE_128F, SLHDSAParameters.shake_128f, 17088},
                {CKP.SLH_DSA_SHA2_192F, SLHDSAParameters.sha2_192f, 35664}};
        for (Object[] set : sets) {
            long[] pair = generate((Long) set[0]);
            byte[] pk = f.engine.C_GetAttributeValue(s, pair[0], new long[] {CKA.VALUE}).get(0).value();
            byte[] sig = sign(Mechanism.of(CKM.SLH_DSA, new MechanismParams.SignAdditionalContext(CKH.HEDGE_PREFERRED, ctx)), pair[1], data);
            assertEquals(set[2], sig.length);
            SLHDSASigner bc = new SLHDSASigner();
            bc.init(false, new ParametersWithContext(new SLHDSAPublicKeyParameters((SLHDSAParameters) set[1], pk), ctx));
            assertTrue(bc.verifySignature(data, sig));
        }
    }

    @Test
    void deterministicSignaturesRepeatAndPreHashFormsAgree() throws Exception {
        long[] pair = generate(CKP.SLH_DSA_SHA2_128F);
        Mechanism det = Mechanism.of(CKM.SLH_DSA, new MechanismParams.SignAdditionalContext(CKH.DETERMINISTIC_REQUIRED, new byte[0]));
        assertArrayEquals(sign(det, pair[1], new byte[] {1}), sign(det, pair[1], new byte[] {1}));
        byte[] data = "hash first".getBytes();
        byte[] digest = java.security.MessageDigest.getInstance("SHA3-256").digest(data);
        byte[] onToken = sign(Mechanism.of(CKM.HASH_SLH_DSA_SHA3_256, new MechanismParams.SignAdditionalContext(CKH.DETERMINISTIC_REQUIRED, new byte[0])), pair[1], data);
        Mechanism byCaller = Mechanism.of(CKM.HASH_SLH_DSA, new MechanismParams.HashSignAdditionalContext(CKH.DETERMINISTIC_REQUIRED, new byte[0], CKM.SHA3_256));
        assertArrayEquals(onToken, sign(byCaller, pair[1], digest));
        f.engine.C_VerifyInit(s, Mechanism.of(CKM.HASH_SLH_DSA_SHA3_256), pair[0]);
        f.engine.C_VerifyUpdate(s, Arrays.copyOf(data, 4));
        f.engine.C_VerifyUpdate(s, Arrays.copyOfRange(data, 4, data.length));
        f.engine.C_VerifyFinal(s, onToken);
        f.engine.C_VerifyInit(s, Mechanism.of(CKM.SLH_DSA), pair[0]);
        assertRv(CKR.SIGNATURE_LEN_RANGE, () -> f.engine.C_Verify(s, data, new byte[100]));
    }

    @Test
    void privateKeysImportFromTheirFips205EncodingAndHaveNoSeed() {
        long[] pair = f.engine.C_GenerateKeyPair(s, Mechanism.of(CKM.SLH_DSA_KEY_PAIR_GEN),
                List.of(Attribute.of(CKA.PARAMETER_SET, CKP.SLH_DSA_SHAKE_128F)), List.of(Attribute.of(CKA.SENSITIVE, false), Attribute.of(CKA.EXTRACTABLE, true)));
        byte[] sk = f.engine.C_GetAttributeValue(s, pair[1], new long[] {CKA.VALUE}).get(0).value();
        assertEquals(64, sk.length);
        assertEquals(CKR.name(CKR.ATTRIBUTE_TYPE_INVALID), CKR.name(f.engine.C_GetAttributeValue(s, pair[1], new long[] {CKA.SEED}).get(0).rv()));
        long imported = f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.PRIVATE_KEY), Attribute.of(CKA.KEY_TYPE, CKK.SLH_DSA),
                Attribute.of(CKA.PARAMETER_SET, CKP.SLH_DSA_SHAKE_128F), Attribute.of(CKA.VALUE, sk)));
        byte[] sig = sign(Mechanism.of(CKM.SLH_DSA), imported, new byte[] {4});
        f.engine.C_VerifyInit(s, Mechanism.of(CKM.SLH_DSA), pair[0]);
        f.engine.C_Verify(s, new byte[] {4}, sig);
        assertRv(CKR.ATTRIBUTE_TYPE_INVALID, () -> f.engine.C_CreateObject(s, List.of(Attribute.of(CKA.CLASS, CKO.PRIVATE_KEY),
                Attribute.of(CKA.KEY_TYPE, CKK.SLH_DSA), Attribute.of(CKA.PARAMETER_SET, CKP.SLH_DSA_SHAKE_128F), Attribute.of(CKA.SEED, new byte[32]))));
    }
}
