package io.jhsm.bridge;

import com.sun.jna.Pointer;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;

/**
 * CK_MECHANISM {mechanism, pParameter, ulParameterLen} (24 bytes) into a {@link Mechanism}, with the
 * parameter decoded by the struct its mechanism takes ({@link MechanismParamTable}). A known struct
 * given with the wrong length, or holding a NULL pointer with a length, is CKR_MECHANISM_PARAM_INVALID.
 */
final class MechanismCodec {
    private MechanismCodec() {}

    /** Null when the caller passed NULL_PTR (PKCS#11 3.0: an *Init with no mechanism ends the active operation). */
    static Mechanism decodeOptional(long pMechanism) {
        return pMechanism == 0 ? null : decode(pMechanism);
    }

    static Mechanism decode(long pMechanism) {
        NativeMem.requireNonNull(pMechanism);
        Pointer m = NativeMem.at(pMechanism);
        long type = m.getLong(0);
        long pParam = m.getLong(8);
        long len = m.getLong(16);
        if (pParam == 0) {
            if (len != 0) {
                throw new CkException(CKR.MECHANISM_PARAM_INVALID, "NULL parameter with length " + Long.toUnsignedString(len));
            }
            return Mechanism.of(type);
        }
        ParamDecoder decoder = MechanismParamTable.decoderOf(type);
        if (decoder == null) {
            return Mechanism.of(type, new MechanismParams.Bytes(NativeMem.input(pParam, len, CKR.MECHANISM_PARAM_INVALID)));
        }
        return Mechanism.of(type, decoder.decode(pParam, len));
    }
}
