package io.jhsm.engine.mechanism.des;

import io.jhsm.engine.mechanism.Bytes;
import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.JcaBlockCipher;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.engine.mechanism.Wrapping;
import io.jhsm.engine.mechanism.WrapsByEncrypting;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.util.Arrays;
import javax.crypto.spec.IvParameterSpec;

/**
 * DES and Triple DES in ECB, CBC and CBC-PAD (SunJCE). Wrapping with the unpadded modes follows
 * PKCS#11's general block cipher rule: the key value is null-padded to whole 8-byte blocks, and the
 * unwrapping template's CKA_VALUE_LEN (or the key type's fixed length) tells the true length back.
 */
record DesBlock(DesKeys keys, String mode, boolean needsIv) implements WrapsByEncrypting {
    private static final int BLOCK = 8;

    @Override
    public CipherOperation encrypt(Mechanism mechanism, KeyView key) {
        return new JcaBlockCipher(transformation(), true, keys.of(key), iv(mechanism));
    }

    @Override
    public CipherOperation decrypt(Mechanism mechanism, KeyView key) {
        return new JcaBlockCipher(transformation(), false, keys.of(key), iv(mechanism));
    }

    @Override
    public byte[] wrap(Mechanism mechanism, KeyView wrappingKey, byte[] keyEncoding) {
        boolean padded = mode.endsWith("PKCS5Padding");
        int length = padded ? keyEncoding.length : (keyEncoding.length + BLOCK - 1) / BLOCK * BLOCK;
        byte[] input = length == keyEncoding.length ? keyEncoding : Arrays.copyOf(keyEncoding, length);
        try {
            return Wrapping.wrap(this, mechanism, wrappingKey, input);
        } finally {
            if (input != keyEncoding) {
                Arrays.fill(input, (byte) 0);
            }
        }
    }

    private String transformation() {
        return keys.jcaName + "/" + mode;
    }

    private IvParameterSpec iv(Mechanism mechanism) {
        if (!needsIv) {
            if (mechanism.params() != null) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, CKM.name(mechanism.type()) + " takes no parameter");
            }
            return null;
        }
        byte[] iv = mechanism.params(MechanismParams.Bytes.class).bytes();
        if (iv.length != BLOCK) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, CKM.name(mechanism.type()) + " IV must be 8 bytes");
        }
        return new IvParameterSpec(iv);
    }
}
