package io.jhsm.engine.mechanism.aes;

import io.jhsm.engine.mechanism.KeyChecks;
import io.jhsm.engine.mechanism.KeyView;
import io.jhsm.pkcs11.CKA;
import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import javax.crypto.spec.SecretKeySpec;

/** AES key material from a key object, checked and wrapped once per object. */
public final class AesKeys {
    private AesKeys() {}

    public static final int MIN_BYTES = 16;
    public static final int MAX_BYTES = 32;

    /** Cache slot: SecretKeySpec alone would collide with other families' slots. */
    record AesKey(SecretKeySpec spec) {}

    public static SecretKeySpec of(KeyView key) {
        KeyChecks.requireKeyType(key, CKK.AES);
        return key.cached(AesKey.class, () -> {
            byte[] value = key.require(CKA.VALUE);
            if (!validLength(value.length)) {
                throw new CkException(CKR.KEY_SIZE_RANGE, "AES key of " + value.length + " bytes");
            }
            return new AesKey(new SecretKeySpec(value, "AES"));
        }).spec();
    }

    public static boolean validLength(long bytes) {
        return bytes == 16 || bytes == 24 || bytes == 32;
    }
}
