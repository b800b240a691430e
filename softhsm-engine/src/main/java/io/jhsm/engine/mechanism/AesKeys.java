package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import javax.crypto.spec.SecretKeySpec;

/** AES key material from a key object, checked and wrapped once per object. */
final class AesKeys {
    private AesKeys() {}

    static final int MIN_BYTES = 16;
    static final int MAX_BYTES = 32;

    /** Cache slot: SecretKeySpec alone would collide with other families' slots. */
    record AesKey(SecretKeySpec spec) {}

    static SecretKeySpec of(KeyView key) {
        KeyChecks.requireKeyType(key, CKK.AES);
        return key.cached(AesKey.class, () -> {
            byte[] value = key.require(CKA.VALUE);
            if (!validLength(value.length)) {
                throw new CkException(CKR.KEY_SIZE_RANGE, "AES key of " + value.length + " bytes");
            }
            return new AesKey(new SecretKeySpec(value, "AES"));
        }).spec();
    }

    static boolean validLength(long bytes) {
        return bytes == 16 || bytes == 24 || bytes == 32;
    }
}
