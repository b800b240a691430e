package io.jhsm.engine.mechanism.wrap;

import static io.jhsm.engine.mechanism.Rows.row;

import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.MechanismEntry;
import io.jhsm.engine.mechanism.MechanismFamily;
import io.jhsm.engine.mechanism.Rows;
import io.jhsm.engine.mechanism.WrapsByEncrypting;
import io.jhsm.engine.mechanism.aes.AesKeyWrapCipher;
import io.jhsm.engine.mechanism.aes.AesKeys;
import io.jhsm.pkcs11.CKF;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.Mechanism;
import java.util.List;

/**
 * The dedicated AES key wrap mechanisms in their three SP 800-38F forms. (AES-GCM, AES-CBC-PAD, the
 * RSA paddings and CKM_RSA_AES_KEY_WRAP wrap too; their rows live with their families.) PKCS#11 3.0
 * lets the AES key wrap mechanisms encrypt as well as wrap.
 */
public final class KeyWrapFamily implements MechanismFamily {
    private static final long WRAP = CKF.WRAP | CKF.UNWRAP;
    private static final long ALL = CKF.ENCRYPT | CKF.DECRYPT | WRAP;

    @Override
    public List<MechanismEntry> entries() {
        return List.of(
                row(CKM.AES_KEY_WRAP, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, ALL, new AesWrap(AesKeyWrapCipher.Variant.KW)),
                // 3.0 redefined _PAD (0x210A) as PKCS#7 padding then RFC 3394, the same as _PKCS7; RFC 5649 is _KWP.
                row(CKM.AES_KEY_WRAP_PAD, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, ALL, new AesWrap(AesKeyWrapCipher.Variant.PKCS7)),
                row(CKM.AES_KEY_WRAP_KWP, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, ALL, new AesWrap(AesKeyWrapCipher.Variant.KWP)),
                row(CKM.AES_KEY_WRAP_PKCS7, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, ALL, new AesWrap(AesKeyWrapCipher.Variant.PKCS7)),
                // CloudHSM's vendor forms (its profile only; the mechanism list hides them elsewhere): wrap and unwrap only.
                row(CKM.CLOUDHSM_AES_KEY_WRAP_NO_PAD, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, WRAP,
                        new CloudHsmAesWrap(AesKeyWrapCipher.Variant.KW)),
                row(CKM.CLOUDHSM_AES_KEY_WRAP_PKCS5_PAD, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, WRAP,
                        new CloudHsmAesWrap(AesKeyWrapCipher.Variant.PKCS7)),
                row(CKM.CLOUDHSM_AES_KEY_WRAP_ZERO_PAD, AesKeys.MIN_BYTES, AesKeys.MAX_BYTES, WRAP,
                        new CloudHsmAesWrap(AesKeyWrapCipher.Variant.KWP)));
    }

    private record AesWrap(AesKeyWrapCipher.Variant variant) implements WrapsByEncrypting {
        @Override
        public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
            return new AesKeyWrapCipher(variant, mechanism, AesKeys.of(key), true);
        }

        @Override
        public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
            return new AesKeyWrapCipher(variant, mechanism, AesKeys.of(key), false);
        }

    }
}
