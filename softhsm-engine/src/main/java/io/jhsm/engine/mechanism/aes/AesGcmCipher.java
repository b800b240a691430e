package io.jhsm.engine.mechanism.aes;

import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.engine.mechanism.CryptoBackend;
import io.jhsm.engine.mechanism.JcaAeadCipher;
import io.jhsm.engine.mechanism.Providers;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.MechanismParams;
import java.security.GeneralSecurityException;
import java.security.Provider;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * CKM_AES_GCM over AWS-LC through ACCP when it runs (measured 3-8x SunJCE on 1 KiB, 1.2-2.5x on 1 MiB:
 * docs/performance/primitives-rsa-aes.md), else SunJCE (AES-NI + CLMUL intrinsics): validates CK_GCM_PARAMS and
 * initialises the cipher; the operation itself is the shared {@link JcaAeadCipher}. Both take every IV length and
 * tag length accepted here. Encryption streams; decryption releases nothing until C_DecryptFinal, because
 * plaintext must not leave before the tag is checked.
 */
final class AesGcmCipher {
    private AesGcmCipher() {}

    static final int MAX_IV_BYTES = 256;

    static CipherOperation create(SecretKeySpec key, MechanismParams.Gcm params, boolean encrypt) {
        return create(CryptoBackend.accp().orElse(Providers.SUN_JCE), key, params, encrypt);
    }

    /** With the provider named, for the tests that run ACCP and SunJCE side by side. */
    static CipherOperation create(Provider provider, SecretKeySpec key, MechanismParams.Gcm params, boolean encrypt) {
        int tagBits = tagBits(params);
        byte[] iv = params.iv();
        if (iv == null || iv.length < 1 || iv.length > MAX_IV_BYTES) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "GCM IV must be 1.." + MAX_IV_BYTES + " bytes");
        }
        // ulIvBits is not read: PKCS#11 3.0 §2.13.5 says ulIvLen, not ulIvBits, gives the IV length,
        // and callers fill it in every way (0, 8×ulIvLen, garbage).
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding", provider);
            cipher.init(encrypt ? Cipher.ENCRYPT_MODE : Cipher.DECRYPT_MODE, key, new GCMParameterSpec(tagBits, iv));
            if (params.aad() != null && params.aad().length > 0) {
                cipher.updateAAD(params.aad());
            }
            // SunJCE releases whole blocks from an update, AWS-LC every byte.
            return new JcaAeadCipher(cipher, encrypt, tagBits / 8, provider == Providers.SUN_JCE ? 16 : 1);
        } catch (GeneralSecurityException e) {
            throw new CkException(CKR.GENERAL_ERROR, "AES-GCM init", e);
        }
    }

    /**
     * PKCS#11 3.0 allows 0..128 bits, NIST SP 800-38D 96..128 in steps of 8 (32 and 64 only for
     * special uses). We take the NIST general set, which is also what SunJCE implements.
     */
    static int tagBits(MechanismParams.Gcm params) {
        long bits = params.tagBits();
        if (bits < 96 || bits > 128 || bits % 8 != 0) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "GCM tag of " + bits + " bits; need 96..128 in steps of 8");
        }
        return (int) bits;
    }
}
