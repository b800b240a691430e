package io.jhsm.engine.mechanism.pqc;

import io.jhsm.engine.mechanism.GeneratedKeyPair;
import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.Rows;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.Mechanism;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.AsymmetricCipherKeyPairGenerator;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAKeyGenerationParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAKeyPairGenerator;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMKeyGenerationParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMKeyPairGenerator;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMParameters;
import org.bouncycastle.pqc.crypto.slhdsa.SLHDSAKeyGenerationParameters;
import org.bouncycastle.pqc.crypto.slhdsa.SLHDSAKeyPairGenerator;
import org.bouncycastle.pqc.crypto.slhdsa.SLHDSAParameters;

/**
 * CKM_ML_KEM_KEY_PAIR_GEN, CKM_ML_DSA_KEY_PAIR_GEN and CKM_SLH_DSA_KEY_PAIR_GEN. The parameter set
 * comes from the public key's template (required: CKR_TEMPLATE_INCOMPLETE without it,
 * CKR_PARAMETER_SET_NOT_SUPPORTED for one the key type lacks). The public key gets CKA_VALUE; the
 * private key CKA_PARAMETER_SET, CKA_VALUE and, for ML-KEM and ML-DSA, CKA_SEED.
 */
record PqcKeyPairGen(long keyType) implements MechanismImpl {

    @Override
    public GeneratedKeyPair generateKeyPair(Mechanism mechanism, TemplateView publicTemplate, TemplateView privateTemplate) {
        PqcParameterSet set = PqcParameterSet.forGeneration(keyType, publicTemplate);
        AsymmetricCipherKeyPair pair = generator(set).generateKeyPair();
        List<Attribute> priv = new ArrayList<>(List.of(Attribute.of(CKA.KEY_TYPE, keyType), Attribute.of(CKA.PARAMETER_SET, set.ckp),
                Attribute.of(CKA.VALUE, PqcKeys.privateEncoding(pair.getPrivate()))));
        byte[] seed = PqcKeys.seed(pair.getPrivate());
        if (seed != null) {
            priv.add(Attribute.of(CKA.SEED, seed));
        }
        List<Attribute> pub = List.of(Attribute.of(CKA.KEY_TYPE, keyType), Attribute.of(CKA.PARAMETER_SET, set.ckp),
                Attribute.of(CKA.VALUE, PqcKeys.publicEncoding(pair.getPrivate())));
        return new GeneratedKeyPair(pub, priv);
    }

    private AsymmetricCipherKeyPairGenerator generator(PqcParameterSet set) {
        if (keyType == CKK.ML_DSA) {
            MLDSAKeyPairGenerator g = new MLDSAKeyPairGenerator();
            g.init(new MLDSAKeyGenerationParameters(LazyRandom.get(), (MLDSAParameters) set.bc));
            return g;
        }
        if (keyType == CKK.ML_KEM) {
            MLKEMKeyPairGenerator g = new MLKEMKeyPairGenerator();
            g.init(new MLKEMKeyGenerationParameters(LazyRandom.get(), (MLKEMParameters) set.bc));
            return g;
        }
        SLHDSAKeyPairGenerator g = new SLHDSAKeyPairGenerator();
        g.init(new SLHDSAKeyGenerationParameters(LazyRandom.get(), (SLHDSAParameters) set.bc));
        return g;
    }

    /** The generation row: CK_MECHANISM_INFO key sizes are public key lengths in bytes (PKCS#11 3.2). */
    MechanismEntry row(long type) {
        return Rows.row(type, PqcParameterSet.minPublicBytes(keyType), PqcParameterSet.maxPublicBytes(keyType), io.jhsm.pkcs11.CKF.GENERATE_KEY_PAIR, this);
    }
}
