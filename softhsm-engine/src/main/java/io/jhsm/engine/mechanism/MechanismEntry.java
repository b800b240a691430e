package io.jhsm.engine.mechanism;

import io.jhsm.pkcs11.CkMechanismInfo;

/** One row of the mechanism table: what C_GetMechanismInfo reports, and who implements it. */
public record MechanismEntry(long type, CkMechanismInfo info, MechanismImpl impl) {

    public boolean can(long ckfFlag) {
        return (info.flags() & ckfFlag) != 0;
    }
}
