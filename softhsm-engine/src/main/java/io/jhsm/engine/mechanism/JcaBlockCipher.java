package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.security.GeneralSecurityException;
import java.security.spec.AlgorithmParameterSpec;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-ECB, AES-CBC and AES-CBC-PAD over SunJCE (AES-NI intrinsics), translating JCA's exceptions
 * into the CK_RVs PKCS#11 lists for the final step.
 */
final class JcaBlockCipher implements CipherOperation {
    private static final byte[] EMPTY = new byte[0];

    private final Cipher cipher;
    private final boolean encrypt;

    JcaBlockCipher(String transformation, boolean encrypt, SecretKeySpec key, AlgorithmParameterSpec params) {
        this.encrypt = encrypt;
        try {
            cipher = Cipher.getInstance(transformation, Providers.SUN_JCE);
            cipher.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key, params);
        } catch (GeneralSecurityException e) {
            throw new CkException(CKR.GENERAL_ERROR, transformation + " init", e);
        }
    }

    @Override
    public byte[] update(byte[] part) {
        byte[] out = cipher.update(part);
        return out == null ? EMPTY : out;
    }

    @Override
    public byte[] doFinal() {
        try {
            return cipher.doFinal();
        } catch (IllegalBlockSizeException e) {
            throw new CkException(encrypt ? CKR.DATA_LEN_RANGE : CKR.ENCRYPTED_DATA_LEN_RANGE, "input is not a whole number of blocks");
        } catch (BadPaddingException e) {
            throw new CkException(CKR.ENCRYPTED_DATA_INVALID, "bad padding");
        }
    }
}
