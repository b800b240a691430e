package io.jhsm.engine.mechanism.pqc;

import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import java.util.List;

/** CKK_SLH_DSA keys (FIPS 205, PKCS#11 3.2): key pair generation, SLH-DSA and HashSLH-DSA signatures, all 12 parameter sets. */
public final class SlhDsaFamily implements MechanismFamily {
    @Override
    public List<MechanismEntry> entries() {
        return PqcSignatureRows.rows(CKK.SLH_DSA, CKM.SLH_DSA_KEY_PAIR_GEN, CKM.SLH_DSA, CKM.HASH_SLH_DSA,
                CKM.HASH_SLH_DSA_SHA224, CKM.HASH_SLH_DSA_SHA256, CKM.HASH_SLH_DSA_SHA384, CKM.HASH_SLH_DSA_SHA512,
                CKM.HASH_SLH_DSA_SHA3_224, CKM.HASH_SLH_DSA_SHA3_256, CKM.HASH_SLH_DSA_SHA3_384, CKM.HASH_SLH_DSA_SHA3_512,
                CKM.HASH_SLH_DSA_SHAKE128, CKM.HASH_SLH_DSA_SHAKE256);
    }
}
