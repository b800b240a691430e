package io.jhsm.engine.mechanism.pqc;

import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import java.util.List;

/** CKK_ML_DSA keys (FIPS 204, PKCS#11 3.2): key pair generation, ML-DSA and HashML-DSA signatures. */
public final class MlDsaFamily implements MechanismFamily {
    @Override
    public List<MechanismEntry> entries() {
        return PqcSignatureRows.rows(CKK.ML_DSA, CKM.ML_DSA_KEY_PAIR_GEN, CKM.ML_DSA, CKM.HASH_ML_DSA,
                CKM.HASH_ML_DSA_SHA224, CKM.HASH_ML_DSA_SHA256, CKM.HASH_ML_DSA_SHA384, CKM.HASH_ML_DSA_SHA512,
                CKM.HASH_ML_DSA_SHA3_224, CKM.HASH_ML_DSA_SHA3_256, CKM.HASH_ML_DSA_SHA3_384, CKM.HASH_ML_DSA_SHA3_512,
                CKM.HASH_ML_DSA_SHAKE128, CKM.HASH_ML_DSA_SHAKE256);
    }
}
