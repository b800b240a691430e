package io.jhsm.bridge;

import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;

/**
 * CK_GCM_PARAMS' pIv is in/out on a cloudhsm-profile token: C_EncryptInit (and C_WrapKey) with CKM_AES_GCM
 * put the HSM's 12-byte IV into the engine's copy of it, and the application reads it from its own pIv
 * afterwards (CloudHSM's pkcs11-mechanisms.html, annotation 1). PKCS#11 only guarantees the struct during
 * the call, so it is written back before the call returns, and only when the IV changed (on a pkcs11
 * token it never does, and the caller's memory is not touched).
 */
final class GcmIvWriteBack {
    private GcmIvWriteBack() {}

    /** The caller's pIv for a decoded CK_MECHANISM at {@code pMechanism}, or NONE when it has no CK_GCM_PARAMS. */
    static InOutBytes of(long pMechanism, Mechanism mechanism) {
        if (mechanism == null || !(mechanism.params() instanceof MechanismParams.Gcm g)) {
            return InOutBytes.NONE;
        }
        long pParameter = NativeMem.at(pMechanism).getLong(8);
        return InOutBytes.of(NativeMem.at(pParameter).getLong(0), g.iv());
    }
}
