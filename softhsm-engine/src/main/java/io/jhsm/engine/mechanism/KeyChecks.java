package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CKK;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;

/** Key type checks shared by the families; the engine has already checked usage flags. */
public final class KeyChecks {
    private KeyChecks() {}

    public static void requireKeyType(KeyView key, long... allowed) {
        long type = key.keyType();
        for (long a : allowed) {
            if (a == type) {
                return;
            }
        }
        throw new CkException(CKR.KEY_TYPE_INCONSISTENT, "key type " + CKK.name(type) + " does not fit this mechanism");
    }

    public static void requireSize(long size, long min, long max, String what) {
        if (size < min || size > max) {
            throw new CkException(CKR.KEY_SIZE_RANGE, what + " " + size + " outside " + min + ".." + max);
        }
    }
}
