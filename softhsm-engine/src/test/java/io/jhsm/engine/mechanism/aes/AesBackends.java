package io.jhsm.engine.mechanism.aes;

import io.jhsm.engine.mechanism.CipherOperation;
import io.jhsm.pkcs11.CKM;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;
import java.security.Provider;
import javax.crypto.spec.SecretKeySpec;

/** The AES operations with the provider named (ACCP's, or SunJCE), for the timing mains outside this package. */
public final class AesBackends {
    private AesBackends() {}

    public static CipherOperation gcm(Provider provider, SecretKeySpec key, MechanismParams.Gcm params, boolean encrypt) {
        return AesGcmCipher.create(provider, key, params, encrypt);
    }

    /** CKM_AES_XTS (K1 || K2, 16-byte tweak); accp null for the portable code. */
    public static CipherOperation xts(Provider accp, byte[] key, byte[] tweak, boolean encrypt) {
        return new AesXtsCipher(accp, key, tweak, encrypt);
    }

    /** CKM_AES_KEY_WRAP_KWP with the default initial value; accp null for Bouncy Castle. */
    public static CipherOperation kwp(Provider accp, SecretKeySpec key, boolean encrypt) {
        return new AesKeyWrapCipher(accp, AesKeyWrapCipher.Variant.KWP, Mechanism.of(CKM.AES_KEY_WRAP_KWP), key, encrypt);
    }
}
