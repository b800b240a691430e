package io.jhsm.engine.mechanism.pqc;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.Encapsulated;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.LazyRandom;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.Rows;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.kdf.DerivedKeys;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMExtractor;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMGenerator;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMPrivateKeyParameters;

/**
 * CKK_ML_KEM keys (FIPS 203, PKCS#11 3.2): CKM_ML_KEM_KEY_PAIR_GEN and CKM_ML_KEM for
 * C_EncapsulateKey/C_DecapsulateKey. The 32-byte shared secret becomes the new key's CKA_VALUE, cut
 * to the template's key type and length by the rules of C_DeriveKey (so AES-128 takes its first 16
 * bytes). CKM_ML_KEM takes no parameter.
 */
public final class MlKemFamily implements MechanismFamily {

    @Override
    public List<MechanismEntry> entries() {
        int min = PqcParameterSet.minPublicBytes(CKK.ML_KEM);
        int max = PqcParameterSet.maxPublicBytes(CKK.ML_KEM);
        return List.of(
                new PqcKeyPairGen(CKK.ML_KEM).row(CKM.ML_KEM_KEY_PAIR_GEN),
                row(CKM.ML_KEM, min, max, CKF.ENCAPSULATE | CKF.DECAPSULATE, new Kem()));
    }

    private static final class Kem implements MechanismImpl {
        @Override
        public int ciphertextLength(Mechanism mechanism, KeyView publicKey) {
            requireNoParameter(mechanism);
            return PqcKeys.publicKey(publicKey, CKK.ML_KEM).set().outputBytes;
        }

        @Override
        public Encapsulated encapsulate(Mechanism mechanism, KeyView publicKey, TemplateView template) {
            requireNoParameter(mechanism);
            PqcKeys.Public k = PqcKeys.publicKey(publicKey, CKK.ML_KEM);
            SecretWithEncapsulation result = new MLKEMGenerator(LazyRandom.get()).generateEncapsulated(k.params());
            byte[] secret = result.getSecret();
            try {
                return new Encapsulated(DerivedKeys.fromMaterial(template, secret), result.getEncapsulation());
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }

        @Override
        public List<Attribute> decapsulate(Mechanism mechanism, KeyView privateKey, byte[] ciphertext, TemplateView template) {
            requireNoParameter(mechanism);
            PqcKeys.Private k = PqcKeys.privateKey(privateKey, CKK.ML_KEM);
            if (ciphertext.length != k.set().outputBytes) {
                throw new CkException(CKR.WRAPPED_KEY_LEN_RANGE, k.set() + " ciphertext must be " + k.set().outputBytes + " bytes");
            }
            byte[] secret = new MLKEMExtractor((MLKEMPrivateKeyParameters) k.params()).extractSecret(ciphertext);
            try {
                return DerivedKeys.fromMaterial(template, secret);
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }

        private static void requireNoParameter(Mechanism mechanism) {
            if (mechanism.params() != null) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "CKM_ML_KEM takes no parameter");
            }
        }
    }
}
