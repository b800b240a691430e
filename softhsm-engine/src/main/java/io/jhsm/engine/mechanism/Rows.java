package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CkMechanismInfo;

/** Shorthand for building mechanism table rows. */
public final class Rows {
    private Rows() {}

    public static MechanismEntry row(long type, long minKeySize, long maxKeySize, long flags, MechanismImpl impl) {
        return new MechanismEntry(type, new CkMechanismInfo(minKeySize, maxKeySize, flags), impl);
    }
}
