package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.MechanismParams;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * CKM_AES_GCM over SunJCE (AES-NI + CLMUL intrinsics). Encryption streams; decryption releases
 * nothing until C_DecryptFinal, because plaintext must not leave before the tag is checked.
 */
final class AesGcmCipher implements CipherOperation {
    private static final byte[] EMPTY = new byte[0];
    static final int MAX_IV_BYTES = 256;

    private final Cipher cipher;
    private final boolean encrypt;
    private final int tagBytes;
    private long inputLength;

    AesGcmCipher(SecretKeySpec key, MechanismParams.Gcm params, boolean encrypt) {
        this.encrypt = encrypt;
        this.tagBytes = tagBits(params) / 8;
        byte[] iv = params.iv();
        if (iv == null || iv.length < 1 || iv.length > MAX_IV_BYTES) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "GCM IV must be 1.." + MAX_IV_BYTES + " bytes");
        }
        // ulIvBits came with PKCS#11 3.0; 2.40 callers leave it 0, so only a contradicting value is wrong.
        if (params.ivBits() != 0 && params.ivBits() != 8L * iv.length) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "ulIvBits does not match ulIvLen");
        }
        try {
            cipher = Cipher.getInstance("AES/GCM/NoPadding", Providers.SUN_JCE);
            cipher.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key, new GCMParameterSpec(tagBytes * 8, iv));
            if (params.aad() != null && params.aad().length > 0) {
                cipher.updateAAD(params.aad());
            }
        } catch (GeneralSecurityException e) {
            throw new CkException(CKR.GENERAL_ERROR, "AES-GCM init", e);
        }
    }

    /**
     * PKCS#11 3.0 allows 0..128 bits, NIST SP 800-38D 96..128 in steps of 8 (32 and 64 only for
     * special uses). We take the NIST general set, which is also what SunJCE implements.
     */
    private static int tagBits(MechanismParams.Gcm params) {
        long bits = params.tagBits();
        if (bits < 96 || bits > 128 || bits % 8 != 0) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "GCM tag of " + bits + " bits; need 96..128 in steps of 8");
        }
        return (int) bits;
    }

    @Override
    public byte[] update(byte[] part) {
        inputLength += part.length;
        byte[] out = cipher.update(part);
        return out == null ? EMPTY : out;
    }

    @Override
    public byte[] doFinal() {
        if (!encrypt && inputLength < tagBytes) {
            throw new CkException(CKR.ENCRYPTED_DATA_LEN_RANGE, "shorter than the " + tagBytes + "-byte tag");
        }
        try {
            return cipher.doFinal();
        } catch (AEADBadTagException e) {
            throw new CkException(CKR.ENCRYPTED_DATA_INVALID, "GCM tag mismatch");
        } catch (GeneralSecurityException e) {
            throw new CkException(CKR.GENERAL_ERROR, "AES-GCM final", e);
        }
    }
}
