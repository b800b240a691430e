package io.jhsm.engine.mechanism.kdf;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.Bytes;
import io.jhsm.engine.mechanism.JcaBlockCipher;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.engine.mechanism.MechanismImpl;
import io.jhsm.engine.mechanism.Rows;
import io.jhsm.engine.mechanism.TemplateView;
import io.jhsm.engine.mechanism.aes.AesKeys;
import io.jhsm.pkcs11.Attribute;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.List;
import javax.crypto.spec.IvParameterSpec;

/**
 * CKM_AES_ECB_ENCRYPT_DATA and CKM_AES_CBC_ENCRYPT_DATA: the new key is the encryption of the
 * parameter's data under the AES base key (no padding, so the data is whole blocks). Key sizes are
 * AES key sizes in bytes.
 */
public final class EncryptDataFamily implements MechanismFamily {

    @Override
    public List<MechanismEntry> entries() {
        return List.of(
                row(CKM.AES_ECB_ENCRYPT_DATA, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, CKF.DERIVE, new EncryptData(false)),
                row(CKM.AES_CBC_ENCRYPT_DATA, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, CKF.DERIVE, new EncryptData(true)));
    }

    private record EncryptData(boolean cbc) implements MechanismImpl {
        @Override
        public boolean copiesKeyBytes() {
            return true;
        }

        @Override
        public List<Attribute> deriveKey(Mechanism mechanism, KeyView baseKey, TemplateView template) {
            byte[] data;
            IvParameterSpec iv = null;
            if (cbc) {
                MechanismParams.AesCbcEncryptData p = mechanism.params(MechanismParams.AesCbcEncryptData.class);
                if (p.iv() == null || p.iv().length != 16) {
                    throw new CkException(CKR.MECHANISM_PARAM_INVALID, "AES-CBC-ENCRYPT-DATA IV must be 16 bytes");
                }
                iv = new IvParameterSpec(p.iv());
                data = p.data();
            } else {
                data = mechanism.params(MechanismParams.DerivationString.class).data();
            }
            if (data == null || data.length == 0 || data.length % 16 != 0) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "the data must be a non-empty multiple of 16 bytes");
            }
            JcaBlockCipher c = new JcaBlockCipher(cbc ? "AES/CBC/NoPadding" : "AES/ECB/NoPadding", true, AesKeys.of(baseKey), iv);
            return DerivedKeys.fromMaterial(template, Bytes.concat(c.update(data), c.doFinal()));
        }
    }
}
