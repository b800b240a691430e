package io.jhsm.engine.mechanism.wrap;

import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.WrapsByEncrypting;
import io.jhsm.engine.mechanism.aes.AesKeyWrapCipher;
import io.jhsm.engine.mechanism.aes.AesKeys;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.Arrays;

/**
 * CloudHSM's vendor AES key wrap mechanisms (cloudhsm_pkcs11_vendor_defs.h; "AES key wrapping" in its user guide):
 * _NO_PAD is RFC 3394, _PKCS5_PAD PKCS#5 padding to 8 bytes then RFC 3394 (a block-aligned key gains 8 bytes),
 * _ZERO_PAD RFC 5649. The IV rules are CloudHSM's: the implicit IV (a NULL parameter) is recommended; _NO_PAD and
 * _PKCS5_PAD accept an explicit IV only when it is the default 0xA6A6A6A6A6A6A6A6, and _ZERO_PAD accepts none.
 */
record CloudHsmAesWrap(AesKeyWrapCipher.Variant variant) implements WrapsByEncrypting {
    private static final byte[] DEFAULT_IV = {(byte) 0xA6, (byte) 0xA6, (byte) 0xA6, (byte) 0xA6,
        (byte) 0xA6, (byte) 0xA6, (byte) 0xA6, (byte) 0xA6};

    @Override
    public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
        return new AesKeyWrapCipher(variant, implicitIv(mechanism), AesKeys.of(key), true);
    }

    @Override
    public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
        return new AesKeyWrapCipher(variant, implicitIv(mechanism), AesKeys.of(key), false);
    }

    /** The mechanism with its IV checked and dropped: the only IV CloudHSM accepts is the default one. */
    private Mechanism implicitIv(Mechanism mechanism) {
        byte[] iv = mechanism.params() == null ? new byte[0] : mechanism.params(MechanismParams.Bytes.class).bytes();
        if (iv.length == 0) {
            return Mechanism.of(mechanism.type());
        }
        if (variant == AesKeyWrapCipher.Variant.KWP) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, CKM.name(mechanism.type())
                    + " takes no IV: CloudHSM computes the RFC 5649 IV itself (pass a NULL parameter)");
        }
        if (!Arrays.equals(iv, DEFAULT_IV)) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, CKM.name(mechanism.type())
                    + " accepts only the default IV 0xA6A6A6A6A6A6A6A6 (or a NULL parameter, which CloudHSM recommends)");
        }
        return Mechanism.of(mechanism.type());
    }
}
