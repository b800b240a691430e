package io.jhsm.client;

import io.jhsm.pkcs11.MechanismParams;
import io.jhsm.protocol.Mechanisms;

/**
 * In/out parameters: in process the engine fills the caller's arrays in place — the message functions' generated
 * IV or nonce and tag or MAC, and on a cloudhsm token the CKM_AES_GCM IV of C_EncryptInit and C_WrapKey. Across
 * the wire the node returns the parameter as it left it, and this copies those arrays back into the caller's,
 * exactly as far as they go.
 */
final class MessageParamsCopy {
    private MessageParamsCopy() {}

    static void back(MechanismParams caller, io.jhsm.protocol.v1.MechanismParams returned) {
        if (caller == null || returned == null) {
            return;
        }
        MechanismParams node = Mechanisms.fromProto(returned);
        if (caller instanceof MechanismParams.Gcm c && node instanceof MechanismParams.Gcm n) {
            copy(n.iv(), c.iv());
        } else if (caller instanceof MechanismParams.GcmMessage c && node instanceof MechanismParams.GcmMessage n) {
            copy(n.iv(), c.iv());
            copy(n.tag(), c.tag());
        } else if (caller instanceof MechanismParams.CcmMessage c && node instanceof MechanismParams.CcmMessage n) {
            copy(n.nonce(), c.nonce());
            copy(n.mac(), c.mac());
        }
    }

    private static void copy(byte[] from, byte[] to) {
        if (from != null && to != null) {
            System.arraycopy(from, 0, to, 0, Math.min(from.length, to.length));
        }
    }
}
