package io.jhsm.bridge;

import com.sun.jna.Pointer;
import io.jhsm.pkcs11.CKR;
import io.jhsm.pkcs11.CkException;
import io.jhsm.pkcs11.Mechanism;
import io.jhsm.pkcs11.MechanismParams;

/**
 * CK_MECHANISM {mechanism, pParameter, ulParameterLen} (24 bytes) into a {@link Mechanism}, with the
 * parameter decoded by the struct its mechanism takes ({@link MechanismParamTable}). A known struct
 * given with the wrong length is CKR_MECHANISM_PARAM_INVALID.
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
        MechanismParamTable.Kind kind = MechanismParamTable.kindOf(type);
        if (kind == null) {
            return Mechanism.of(type, new MechanismParams.Bytes(NativeMem.input(pParam, len, CKR.MECHANISM_PARAM_INVALID)));
        }
        if (len != MechanismParamTable.sizeOf(kind)) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, kind + " parameter of " + Long.toUnsignedString(len) + " bytes");
        }
        return Mechanism.of(type, decodeStruct(kind, NativeMem.at(pParam)));
    }

    private static MechanismParams decodeStruct(MechanismParamTable.Kind kind, Pointer p) {
        return switch (kind) {
            // CK_GCM_PARAMS: pIv, ulIvLen, ulIvBits, pAAD, ulAADLen, ulTagBits
            case GCM -> new MechanismParams.Gcm(bytes(p, 0, 8), p.getLong(16), bytes(p, 24, 32), p.getLong(40));
            // CK_CCM_PARAMS: ulDataLen, pNonce, ulNonceLen, pAAD, ulAADLen, ulMACLen
            case CCM -> new MechanismParams.Ccm(p.getLong(0), bytes(p, 8, 16), bytes(p, 24, 32), p.getLong(40));
            // CK_AES_CTR_PARAMS: ulCounterBits, cb[16]
            case CTR -> new MechanismParams.Ctr(p.getLong(0), p.getByteArray(8, 16));
            // CK_RSA_PKCS_PSS_PARAMS: hashAlg, mgf, sLen
            case PSS -> new MechanismParams.Pss(p.getLong(0), p.getLong(8), p.getLong(16));
            // CK_RSA_PKCS_OAEP_PARAMS: hashAlg, mgf, source, pSourceData, ulSourceDataLen
            case OAEP -> new MechanismParams.Oaep(p.getLong(0), p.getLong(8), p.getLong(16), bytes(p, 24, 32));
            // CK_ECDH1_DERIVE_PARAMS: kdf, ulSharedDataLen, pSharedData, ulPublicDataLen, pPublicData
            case ECDH1 -> new MechanismParams.Ecdh1Derive(p.getLong(0), bytes(p, 16, 8), bytes(p, 32, 24));
            // CK_MAC_GENERAL_PARAMS: a CK_ULONG
            case MAC_GENERAL -> new MechanismParams.UlongValue(p.getLong(0));
        };
    }

    /** A (pointer, length) pair inside a struct; a NULL pointer with a length is a bad parameter. */
    private static byte[] bytes(Pointer struct, int pointerOffset, int lengthOffset) {
        long ptr = struct.getLong(pointerOffset);
        long len = struct.getLong(lengthOffset);
        if (ptr == 0 && len != 0) {
            throw new CkException(CKR.MECHANISM_PARAM_INVALID, "NULL pointer with length in parameter");
        }
        return NativeMem.input(ptr, len, CKR.MECHANISM_PARAM_INVALID);
    }
}
