package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import java.security.MessageDigest;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA3Digest;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.bouncycastle.util.Memoable;

/**
 * What the operations' copy() methods share for C_GetOperationState: copying a running JCA digest
 * (SUN's and BC's digests are Cloneable, which copies the chaining state and the buffered partial
 * block without finishing) and the refusal for state that cannot be copied.
 */
public final class SavedStates {
    private SavedStates() {}

    public static MessageDigest copy(MessageDigest running) {
        if (running == null) {
            return null;
        }
        try {
            return (MessageDigest) running.clone();
        } catch (CloneNotSupportedException e) {
            throw unsaveable();
        }
    }

    /**
     * A copy of a running Bouncy Castle digest, or null for none: SHA-2 digests are Memoable; BC 1.80's SHA-3 and
     * SHAKE are not, but have copy constructors. Anything else is unsaveable.
     */
    public static Digest copy(Digest running) {
        if (running == null) {
            return null;
        }
        if (running instanceof SHAKEDigest shake) {
            return new SHAKEDigest(shake);
        }
        if (running instanceof SHA3Digest sha3) {
            return new SHA3Digest(sha3);
        }
        if (running instanceof Memoable m) {
            return (Digest) m.copy();
        }
        throw unsaveable();
    }

    public static CkException unsaveable() {
        return new CkException(CKR.STATE_UNSAVEABLE, "this operation's state cannot be saved");
    }
}
