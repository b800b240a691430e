package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.security.MessageDigest;

/**
 * What the operations' copy() methods share for C_GetOperationState: copying a running JCA digest
 * (SUN's and BC's digests are Cloneable, which copies the chaining state and the buffered partial
 * block without finishing) and the refusal for state that cannot be copied.
 */
public final class SavedStates {
    private SavedStates() {}

    static MessageDigest copy(MessageDigest running) {
        if (running == null) {
            return null;
        }
        try {
            return (MessageDigest) running.clone();
        } catch (CloneNotSupportedException e) {
            throw unsaveable();
        }
    }

    public static CkException unsaveable() {
        return new CkException(CKR.STATE_UNSAVEABLE, "this operation's state cannot be saved");
    }
}
